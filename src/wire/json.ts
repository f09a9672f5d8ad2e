// JSON text with 64-bit ids written as exact integer tokens: a bigint becomes its digits,
// never a rounded double. Everything else follows JSON.stringify (undefined members dropped).
// A JsonBytes is JSON already encoded (cached user objects, id arrays), written as it is.

/** JSON text already encoded as UTF-8, spliced into a reply verbatim. */
export class JsonBytes {
  constructor(readonly bytes: Buffer) {}
}

export type Json = string | number | boolean | bigint | null | undefined | JsonBytes | readonly Json[] | { readonly [key: string]: Json };

/** Text runs and encoded pieces, in order; consecutive text is kept as one run. */
class JsonWriter {
  readonly parts: (string | Buffer)[] = [];
  private text = '';

  add(s: string): void {
    this.text += s;
  }
  addBytes(b: Buffer): void {
    if (this.text !== '') this.parts.push(this.text);
    this.text = '';
    this.parts.push(b);
  }
  finish(): (string | Buffer)[] {
    if (this.text !== '') this.parts.push(this.text);
    this.text = '';
    return this.parts;
  }
}

function write(value: Json, w: JsonWriter): void {
  switch (typeof value) {
    case 'bigint':
      return w.add(value.toString());
    case 'string':
      return w.add(JSON.stringify(value));
    case 'number':
      return w.add(Number.isFinite(value) ? String(value) : 'null');
    case 'boolean':
      return w.add(value ? 'true' : 'false');
    case 'undefined':
      return w.add('null');
    default:
      break;
  }
  if (value === null) return w.add('null');
  if (value instanceof JsonBytes) return w.addBytes(value.bytes);
  if (Array.isArray(value)) {
    w.add('[');
    value.forEach((v: Json, i: number) => {
      if (i > 0) w.add(',');
      write(v, w);
    });
    return w.add(']');
  }
  const obj = value as { [key: string]: Json };
  let sep = '{';
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined) continue;
    w.add(sep);
    w.add(keyText(k));
    sep = ',';
    write(v, w);
  }
  w.add(sep === '{' ? '{}' : '}');
}

/** Member names are few (the wire format's own): each is escaped once, not once per object. */
const KEYS = new Map<string, string>();
const MAX_KEYS = 4096;

function keyText(k: string): string {
  let t = KEYS.get(k);
  if (t === undefined) {
    t = `${JSON.stringify(k)}:`;
    if (KEYS.size < MAX_KEYS) KEYS.set(k, t);
  }
  return t;
}

export function toJson(value: Json): string {
  const w = new JsonWriter();
  write(value, w);
  return w.finish().map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join('');
}

/** The reply body: encoded pieces are copied, not decoded and encoded again. */
export function encodeJson(value: Json): Buffer {
  const w = new JsonWriter();
  write(value, w);
  const parts = w.finish();
  if (parts.length === 1 && typeof parts[0] === 'string') return Buffer.from(parts[0]);
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/**
 * A JSON array of encoded pieces, joined in one copy: `pieces` appends each item's to `out`
 * (no array per item: a page holds up to 5,000).
 */
export function jsonArray<T>(items: readonly T[], pieces: (item: T, out: Buffer[]) => void): JsonBytes {
  const parts: Buffer[] = [OPEN];
  items.forEach((item, i) => {
    if (i > 0) parts.push(COMMA);
    pieces(item, parts);
  });
  parts.push(CLOSE);
  return new JsonBytes(Buffer.concat(parts));
}
