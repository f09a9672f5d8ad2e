// OAuth 1.0a signing of benchmark requests: a fresh nonce and timestamp for every request, so
// roost's replay check never refuses one.
import { randomBytes } from 'node:crypto';
import { percentEncode, sign, signatureBaseString } from '../src/auth/oauth1-signature.js';

export interface Creds { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string }

/** The Authorization header for METHOD origin+path with these query or form parameters. */
export function authorization(creds: Creds, method: string, origin: string, path: string, params: readonly [string, string][]): string {
  const oauth: [string, string][] = [
    ['oauth_consumer_key', creds.consumerKey],
    ['oauth_nonce', randomBytes(12).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
    ['oauth_token', creds.token],
    ['oauth_version', '1.0'],
  ];
  const signature = sign(signatureBaseString(method, origin + path, [...params, ...oauth]), creds.consumerSecret, creds.tokenSecret);
  oauth.push(['oauth_signature', signature]);
  return `OAuth ${oauth.map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`).join(', ')}`;
}

/** Splits "path?a=1&b=2" into the path and its decoded pairs. */
export function splitQuery(pathAndQuery: string): { path: string; params: [string, string][] } {
  const [path, query = ''] = pathAndQuery.split('?', 2) as [string, string?];
  return { path, params: [...new URLSearchParams(query)] };
}
