// PostgreSQL WAL positions ("16/B374D848") as bigints, so they compare and subtract exactly.

export type Lsn = bigint;

/** A position no replica reaches: the caller reads the primary (its write's position is unknown). */
export const PRIMARY_ONLY: Lsn = 2n ** 64n - 1n;

export function parseLsn(text: string): Lsn {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!m) throw new Error(`not a WAL position: "${text}"`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** Fixed-width hex, so positions also compare as strings (in Redis's Lua). */
export function lsnKey(lsn: Lsn): string {
  return lsn.toString(16).padStart(16, '0');
}

export function lsnFromKey(key: string): Lsn {
  return BigInt(`0x${key}`);
}
