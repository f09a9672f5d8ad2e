// User ids in files: decimal, 1 to 2^63 - 1 (what the id columns hold).
const MAX_ID = (1n << 63n) - 1n;
const MAX_TEXT = MAX_ID.toString();

/** The id a token names, or null when it is not one. */
export function parseUserId(token: string): bigint | null {
  if (!/^\d{1,19}$/.test(token)) return null;
  const id = BigInt(token);
  return id >= 1n && id <= MAX_ID ? id : null;
}

/** The id a token names in canonical decimal (no leading zeros), or null; cheap for the common case. */
export function userIdKey(token: string): string | null {
  // Without leading zeros, decimal strings of one length compare as their numbers do.
  if (/^[1-9]\d{0,18}$/.test(token) && (token.length < 19 || token <= MAX_TEXT)) return token;
  return parseUserId(token)?.toString() ?? null;
}
