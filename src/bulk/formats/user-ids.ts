// User ids in files: decimal, 1 to 2^63 - 1 (what the id columns hold).
const MAX_ID = (1n << 63n) - 1n;

/** The id a token names, or null when it is not one. */
export function parseUserId(token: string): bigint | null {
  if (!/^\d{1,19}$/.test(token)) return null;
  const id = BigInt(token);
  return id >= 1n && id <= MAX_ID ? id : null;
}

/** The id a token names in canonical decimal (no leading zeros), or null; cheap for the common case. */
export function userIdKey(token: string): string | null {
  if (/^[1-9]\d{0,17}$/.test(token)) return token; // at most 18 digits: always below 2^63
  return parseUserId(token)?.toString() ?? null;
}
