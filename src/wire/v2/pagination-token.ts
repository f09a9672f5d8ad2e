// v2 pagination tokens carry the same edge positions as v1.1 cursors, in the shapes X's
// OpenAPI declares: at least 16 characters of [0-9A-Z] for most lists, a decimal "long" for mutes.
// Activity subscriptions page by their snowflake id: 16 base32hex digits ('snowflake').
export type TokenStyle = 'base32' | 'long' | 'snowflake';

const PREVIOUS_OFFSET = 10n ** 18n; // positions stay below 2^53, so the ranges never meet

/** Encodes a v1.1-style cursor (next: position > 0; previous: negative). */
export function encodeToken(cursor: number | bigint, style: TokenStyle): string {
  const c = BigInt(cursor);
  if (style === 'snowflake') return c.toString(32).toUpperCase().padStart(16, '0');
  if (style === 'long') return (c > 0n ? c : PREVIOUS_OFFSET - c).toString();
  return (c > 0n ? 'N' : 'P') + (c > 0n ? c : -c).toString(32).toUpperCase().padStart(15, '0');
}

/** The cursor a token stands for, or null when it is not one of ours. */
export function decodeToken(token: string, style: TokenStyle): bigint | null {
  if (style === 'snowflake') {
    if (!/^[0-9A-V]{16}$/.test(token)) return null;
    const v = [...token].reduce((acc, ch) => acc * 32n + BigInt(parseInt(ch, 32)), 0n);
    return v < 2n ** 63n ? v : null;
  }
  if (style === 'long') {
    if (!/^\d{1,19}$/.test(token)) return null;
    const v = BigInt(token);
    if (v === 0n) return null;
    return v >= PREVIOUS_OFFSET ? -(v - PREVIOUS_OFFSET) : v;
  }
  const m = /^([NP])([0-9A-V]{15})$/.exec(token);
  if (!m) return null;
  const v = [...m[2]!].reduce((acc, ch) => acc * 32n + BigInt(parseInt(ch, 32)), 0n);
  if (v === 0n || v > BigInt(Number.MAX_SAFE_INTEGER) + 1n) return null;
  return m[1] === 'N' ? v : -v;
}
