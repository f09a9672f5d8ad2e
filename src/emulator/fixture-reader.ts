// Reading a parsed fixture document: values by path, checked as mappings, lists, text, flags and
// credentials, and failures that name the file, the line of the offending node and its key.
import type { Document, LineCounter } from 'yaml';
import { AccountError } from '../admin/accounts.js';

export class FixtureError extends Error {}

export type Path = (string | number)[];

const CREDENTIAL = /^[A-Za-z0-9-]{1,200}$/;

export class Reader {
  constructor(private readonly doc: Document, private readonly lines: LineCounter, private readonly source: string) {}

  /** "file:line" of the deepest node along the path that exists. */
  where(path: Path): string {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return `${this.source}:${this.lines.linePos(node.range[0]).line}`;
    }
    return this.source;
  }

  fail(path: Path, message: string): never {
    const key = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
    throw new FixtureError(`${this.where(path)}: ${key ? `${key}: ` : ''}${message}`);
  }

  mapping(value: unknown, path: Path, known?: readonly string[]): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'must be a mapping');
    const o = value as Record<string, unknown>;
    const unknown = known && Object.keys(o).find((k) => !known.includes(k));
    if (unknown) this.fail([...path, unknown], `unknown key (known: ${known.join(', ')})`);
    return o;
  }

  list(value: unknown, path: Path): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, 'must be a list');
    return value;
  }

  text(o: Record<string, unknown>, key: string, path: Path): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') this.fail([...path, key], 'must be text');
    return String(v);
  }

  flag(o: Record<string, unknown>, key: string, path: Path): boolean {
    const v = o[key] ?? false;
    if (typeof v !== 'boolean') this.fail([...path, key], 'must be true or false');
    return v;
  }

  /** Runs an account rule the load would apply, failing at the key of the field it names (`keys`: field -> key). */
  accountRule(check: () => void, path: Path, keys: Record<string, string> = {}): void {
    try {
      check();
    } catch (err) {
      if (!(err instanceof AccountError)) throw err;
      const key = err.field && keys[err.field];
      this.fail(key ? [...path, key] : path, err.message);
    }
  }

  credential(o: Record<string, unknown>, key: string, path: Path): string | undefined {
    const v = this.text(o, key, path);
    if (v !== undefined && !CREDENTIAL.test(v)) this.fail([...path, key], 'must be 1-200 letters, digits or dashes');
    return v;
  }
}
