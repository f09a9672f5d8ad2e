// X's webhook signatures: a CRC answer is HMAC-SHA256(crc_token), a delivery carries
// HMAC-SHA256(body) in x-twitter-webhooks-signature, both keyed by the app's consumer secret,
// base64, prefixed `sha256=`.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-twitter-webhooks-signature';

export function signature(consumerSecret: string, payload: string | Buffer): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(payload).digest('base64')}`;
}

/** A fresh challenge for one CRC check. */
export const crcToken = (): string => randomBytes(24).toString('base64url');

export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
