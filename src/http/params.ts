// Twitter's parameter rules (§3), applied once at the edge: each endpoint declares its
// parameters with their types, ranges and defaults (endpoints.ts); the pipeline parses them
// before the handler runs, and the handler reads typed values.
import { invalidParameter } from '../wire/v1/errors.js';

const TRUE_WORDS = new Set(['true', 't', '1']);
const FALSE_WORDS = new Set(['false', 'f', '0']);
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * Parses a decimal user id without passing through a double; null if it cannot name a user.
 * Ids are stored as signed 64-bit integers (SQLite INTEGER, Postgres bigint), so a value
 * above 2^63 - 1 names no one: it must not reach the store, which cannot even bind it.
 */
export function parseUserId(raw: string): bigint | null {
  const s = raw.trim();
  if (!/^\d{1,20}$/.test(s)) return null;
  const id = BigInt(s);
  return id > 0n && id <= INT64_MAX ? id : null;
}

interface Common {
  name: string;
  /** accepted as Twitter accepted it, though not in its reference: left out of docs/api.md */
  unlisted?: true;
  /** a name read instead of this one when given (source_user_id for source_id) */
  alias?: string;
}

/** One declared parameter. Absent or unparsable values take the default; only a cursor fails (400/44). */
export type ParamSpec = Common & (
  | { type: 'text' } // as sent; undefined when absent
  | { type: 'list' } // a comma list: trimmed, empties dropped, duplicates removed, order kept
  | { type: 'flag'; default: boolean } // the default unless set to its opposite word (true/t/1, false/f/0, any case)
  | { type: 'tristate' } // undefined when absent, else true for true/t/1
  | { type: 'int'; default: number; min: number; max: number } // clamped to [min, max]
  | { type: 'cursor' } // a signed 64-bit cursor; -1 when absent
);

export type ParamType = ParamSpec['type'];
type Value = string | string[] | boolean | number | bigint | undefined;

function parseOne(spec: ParamSpec, raw: string | undefined): Value {
  switch (spec.type) {
    case 'text': return raw;
    case 'list': return raw === undefined ? [] : [...new Set(raw.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
    case 'flag': {
      const v = raw?.trim().toLowerCase();
      if (v === undefined) return spec.default;
      return spec.default ? !FALSE_WORDS.has(v) : TRUE_WORDS.has(v);
    }
    case 'tristate': return raw === undefined ? undefined : TRUE_WORDS.has(raw.trim().toLowerCase());
    case 'int': {
      const v = raw?.trim();
      if (v === undefined || !/^[-+]?\d{1,16}$/.test(v)) return spec.default;
      return Math.min(spec.max, Math.max(spec.min, Number(v)));
    }
    case 'cursor': {
      const v = raw?.trim();
      if (v === undefined || v === '') return -1n;
      if (!/^-?\d{1,20}$/.test(v)) throw invalidParameter(spec.name);
      const c = BigInt(v);
      if (c < INT64_MIN || c > INT64_MAX) throw invalidParameter(spec.name);
      return c;
    }
  }
}

/** An endpoint's parameters, parsed; reading one the endpoint did not declare (or as another type) is a bug. */
export class Args {
  private constructor(
    private readonly specs: ReadonlyMap<string, ParamSpec>,
    private readonly values: ReadonlyMap<string, Value>,
    private readonly raws: ReadonlyMap<string, string>,
  ) {}

  /** Parses every declared parameter in declaration order; the first malformed cursor throws. */
  static parse(specs: readonly ParamSpec[], incoming: ReadonlyMap<string, string>): Args {
    const byName = new Map<string, ParamSpec>();
    const values = new Map<string, Value>();
    const raws = new Map<string, string>();
    for (const spec of specs) {
      const raw = (spec.alias === undefined ? undefined : incoming.get(spec.alias)) ?? incoming.get(spec.name);
      byName.set(spec.name, spec);
      if (raw !== undefined) raws.set(spec.name, raw);
      values.set(spec.name, parseOne(spec, raw));
    }
    return new Args(byName, values, raws);
  }

  private read(name: string, type: ParamType): Value {
    const spec = this.specs.get(name);
    if (spec?.type !== type) throw new Error(`parameter ${name} is not declared as ${type}`);
    return this.values.get(name);
  }

  text(name: string): string | undefined {
    return this.read(name, 'text') as string | undefined;
  }

  list(name: string): string[] {
    return this.read(name, 'list') as string[];
  }

  flag(name: string): boolean {
    return this.read(name, 'flag') as boolean;
  }

  tristate(name: string): boolean | undefined {
    return this.read(name, 'tristate') as boolean | undefined;
  }

  int(name: string): number {
    return this.read(name, 'int') as number;
  }

  cursor(name = 'cursor'): bigint {
    return this.read(name, 'cursor') as bigint;
  }

  /** The value as sent, for an error message that quotes it. */
  raw(name: string): string | undefined {
    if (!this.specs.has(name)) throw new Error(`parameter ${name} is not declared`);
    return this.raws.get(name);
  }
}
