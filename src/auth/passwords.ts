// Passwords for the sign-in pages: scrypt (RFC 7914) with a per-user random salt. The stored
// string carries its own parameters, `scrypt$N$r$p$<salt b64>$<key b64>`, so they can be
// raised later without invalidating older hashes. Comparison is constant-time.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DEFAULT_SCRYPT_N } from '../config.js';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * 2^17 x 8 x 1, OWASP's minimum for scrypt: 128 MiB and about 150-300 ms per hash. Hashing runs on
 * libuv's thread pool (the async crypto.scrypt), never on the event loop.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: DEFAULT_SCRYPT_N, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Passwords longer than this are refused outright: scrypt would take them, but nobody types them. */
export const MAX_PASSWORD_LENGTH = 1024;

function scrypt(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes (plus 128 * r * p); Node refuses parameters above maxmem (32 MiB by default).
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 128 * params.N * params.r + 128 * params.r * params.p + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export class PasswordError extends Error {}

export function checkPassword(password: string): void {
  if (password.length === 0) throw new PasswordError('password must not be empty');
  if (password.length > MAX_PASSWORD_LENGTH) throw new PasswordError(`password must be at most ${MAX_PASSWORD_LENGTH} characters`);
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  checkPassword(password);
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface Parsed {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

const HASH = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function parse(stored: string): Parsed | null {
  const m = HASH.exec(stored);
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // A power of two, and bounded so a tampered row cannot make one sign-in eat the machine.
  if (N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  const key = Buffer.from(m[5]!, 'base64');
  if (key.length < 16) return null;
  return { params: { N, r, p }, salt: Buffer.from(m[4]!, 'base64'), key };
}

/**
 * True if the password matches the stored hash. A missing or unreadable hash never matches.
 * Verifying against no hash still spends one hash's time at `dummy`'s cost (the cost new hashes
 * get), so response times do not tell which screen names exist or have a password.
 */
export async function verifyPassword(password: string, stored: string | null | undefined, dummy: ScryptParams = DEFAULT_SCRYPT): Promise<boolean> {
  const parsed = (stored ? parse(stored) : null) ?? null;
  const target = parsed ?? { params: dummy, salt: Buffer.alloc(SALT_BYTES), key: Buffer.alloc(KEY_BYTES) };
  const candidate = password.length > MAX_PASSWORD_LENGTH ? '' : password;
  const key = await scrypt(candidate, target.salt, target.key.length, target.params);
  const same = timingSafeEqual(key, target.key);
  return parsed !== null && candidate === password && same;
}

/** Whether a hash that just verified should be replaced by one at `wanted` (its cost is lower). */
export function needsRehash(stored: string, wanted: ScryptParams): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  const { N, r, p } = parsed.params;
  return N * r < wanted.N * wanted.r || p < wanted.p || parsed.key.length < KEY_BYTES;
}
