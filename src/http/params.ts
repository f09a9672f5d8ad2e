// Twitter's parameter rules (§3), applied once at the edge: handlers get typed values.
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

export class Params {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** A flag that is off unless set to true, t or 1 (any case). */
  flag(name: string): boolean {
    const v = this.values.get(name);
    return v !== undefined && TRUE_WORDS.has(v.trim().toLowerCase());
  }

  /** A flag that is on unless set to false, f or 0 (any case). */
  flagOn(name: string): boolean {
    const v = this.values.get(name);
    return v === undefined || !FALSE_WORDS.has(v.trim().toLowerCase());
  }

  /** Tri-state: undefined when absent. */
  optionalFlag(name: string): boolean | undefined {
    return this.values.has(name) ? this.flag(name) : undefined;
  }

  /** An integer clamped to [min, max]; a value that is not an integer leaves the default. */
  int(name: string, fallback: number, min: number, max: number): number {
    const v = this.values.get(name)?.trim();
    if (v === undefined || !/^[-+]?\d{1,16}$/.test(v)) return fallback;
    return Math.min(max, Math.max(min, Number(v)));
  }

  /** A signed 64-bit cursor; -1 when absent; 400/44 when malformed. */
  cursor(name = 'cursor'): bigint {
    const v = this.values.get(name)?.trim();
    if (v === undefined || v === '') return -1n;
    if (!/^-?\d{1,20}$/.test(v)) throw invalidParameter(name);
    const c = BigInt(v);
    if (c < INT64_MIN || c > INT64_MAX) throw invalidParameter(name);
    return c;
  }

  /** A comma-separated list: trimmed, empties dropped, duplicates removed, order kept. */
  list(name: string): string[] {
    const v = this.values.get(name);
    if (v === undefined) return [];
    return [...new Set(v.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  }
}
