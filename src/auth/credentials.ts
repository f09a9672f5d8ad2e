import { randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random [A-Za-z0-9] text: never needs percent-encoding, so clients cannot mangle it (§9.3). */
export function randomToken(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  // 248 = 4 x 62: rejecting larger bytes keeps every character equally likely.
  for (const b of bytes) {
    if (b < 248) out += ALPHABET[b % 62];
    if (out.length === length) return out;
  }
  return out + randomToken(length - out.length);
}

/** Access tokens read "<user_id>-<random>": clients take the user id from the prefix. */
export const accessTokenFor = (userId: bigint) => `${userId}-${randomToken(40)}`;

/** Twitter's bearer tokens started with a run of A's; clients sometimes check for it. */
export const bearerToken = () => `AAAAAAAAAAAAAAAAAAAAA${randomToken(80)}`;

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
