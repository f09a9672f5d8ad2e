// OAuth 1.0a and bearer headers for the soak's traffic: fresh nonce and timestamp on every request.
import { randomBytes } from 'node:crypto';
import { baseUrl, percentEncode, sign, signatureBaseString } from '../../src/auth/oauth1-signature.js';
import type { Param } from '../../src/http/form.js';

export interface SoakCredentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  secret: string;
}

/** The Authorization header of a request signed over `params` (query plus form body). */
export function oauthHeader(c: SoakCredentials, method: string, host: string, path: string, params: readonly Param[], tamper = false): string {
  const oauth: Param[] = [
    ['oauth_consumer_key', c.consumerKey],
    ['oauth_nonce', randomBytes(16).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
    ['oauth_token', c.token],
    ['oauth_version', '1.0'],
  ];
  const base = signatureBaseString(method, baseUrl('http', host, path), [...params, ...oauth]);
  // a wrong signature: signed with a secret the server does not hold
  const signature = sign(base, c.consumerSecret, tamper ? `${c.secret}x` : c.secret);
  return 'OAuth ' + [...oauth, ['oauth_signature', signature] as const].map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`).join(', ');
}

export const encodePairs = (pairs: readonly Param[]): string => pairs.map(([n, v]) => `${percentEncode(n)}=${percentEncode(v)}`).join('&');
