// application/x-www-form-urlencoded decoding (spec §2.3), used for query strings
// and POST bodies alike: Python's urlencode emits `+` for spaces in both.
import { percentDecode, type Param } from '../auth/percent-encoding.js';

// Percent-decoding is OAuth's rule (its signatures depend on it), so it lives in src/auth.
export { percentDecode, type Param };

/** Decodes a form/query string; keeps duplicates and order. Null if malformed. */
export function parseForm(raw: string): Param[] | null {
  const out: Param[] = [];
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = percentDecode(eq < 0 ? piece : piece.slice(0, eq), true);
    const value = eq < 0 ? '' : percentDecode(piece.slice(eq + 1), true);
    if (name === null || value === null) return null;
    out.push([name, value]);
  }
  return out;
}

/** Name → value, first occurrence wins (spec §2.3). */
export function firstValues(params: readonly Param[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of params) {
    if (!map.has(name)) map.set(name, value);
  }
  return map;
}
