// User ids in files: decimal, 1 to 2^63 - 1 (what the id columns hold).
const MAX_ID = (1n << 63n) - 1n;

/** The id a token names, or null when it is not one. */
export function parseUserId(token: string): bigint | null {
  if (!/^\d{1,19}$/.test(token)) return null;
  const id = BigInt(token);
  return id >= 1n && id <= MAX_ID ? id : null;
}
