// The reference OAuth 1.0a signer (RFC 5849, HMAC-SHA1), for the tests, scripts and benches:
// every part of the signature (URL, timestamp, nonce, which body is signed, where the oauth_*
// parameters travel) can be chosen or broken on purpose. It is written out here from the RFC
// rather than borrowed from src/, so the server's verifier is not checked against itself.
import { createHmac, randomBytes } from 'node:crypto';

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
}

export type Pairs = readonly (readonly [string, string])[];

/** RFC 3986 percent-encoding of the UTF-8 bytes (space → %20, `*` → %2A). */
export const enc = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const formOf = (pairs: Pairs): string => pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');

export interface SignOptions {
  method: 'GET' | 'POST';
  /** scheme, host (and port) and path the signature covers, without the query */
  signedUrl: string;
  /** parameters signed from the query string and the form body */
  params?: Pairs;
  /** seconds since the epoch; defaults to now */
  timestamp?: number;
  nonce?: string;
}

/** The oauth_* parameters of a signed request, oauth_signature included. */
export function oauthParams(creds: Credentials, o: SignOptions): Record<string, string> {
  const oauth: Record<string, string> = {
    oauth_consumer_key: creds.consumerKey,
    oauth_nonce: o.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
  };
  if (creds.token !== undefined) oauth.oauth_token = creds.token;
  const paramString = [...(o.params ?? []), ...Object.entries(oauth)]
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = `${o.method}&${enc(o.signedUrl)}&${enc(paramString)}`;
  const key = `${enc(creds.consumerSecret)}&${enc(creds.tokenSecret ?? '')}`;
  return { ...oauth, oauth_signature: createHmac('sha1', key).update(base).digest('base64') };
}

export const authorizationHeader = (oauth: Record<string, string>): string =>
  'OAuth ' + Object.entries(oauth).map(([k, v]) => `${enc(k)}="${enc(v)}"`).join(', ');

export interface SignedRequest {
  url: string;
  init: RequestInit & { headers: Record<string, string> };
  /** the oauth_* parameters sent, oauth_signature included */
  oauth: Record<string, string>;
}

export interface RequestOptions {
  method: 'GET' | 'POST';
  /** where the request is sent, e.g. http://127.0.0.1:PORT */
  origin: string;
  path: string;
  query?: Pairs;
  form?: Pairs;
  /** the origin the signature covers; defaults to `origin` */
  signedOrigin?: string;
  /** a form body sent instead of the signed one (tampering) */
  sentForm?: Pairs;
  /** where the oauth_* parameters travel: the header (default), the query string or the form body */
  carry?: 'header' | 'query' | 'body';
  timestamp?: number;
  nonce?: string;
}

/** Builds a signed request ready for fetch; it may be sent more than once (replay). */
export function signedRequest(creds: Credentials, o: RequestOptions): SignedRequest {
  const query = [...(o.query ?? [])];
  const form = [...(o.form ?? [])];
  const oauth = oauthParams(creds, {
    method: o.method,
    signedUrl: (o.signedOrigin ?? o.origin) + o.path,
    params: [...query, ...form],
    timestamp: o.timestamp,
    nonce: o.nonce,
  });
  const headers: Record<string, string> = {};
  const carry = o.carry ?? 'header';
  let sentForm = [...(o.sentForm ?? form)];
  if (carry === 'header') headers.authorization = authorizationHeader(oauth);
  if (carry === 'query') query.push(...Object.entries(oauth));
  if (carry === 'body') sentForm = [...sentForm, ...Object.entries(oauth)];
  let body: string | undefined;
  if (o.method === 'POST') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = formOf(sentForm);
  }
  const qs = formOf(query);
  return { url: o.origin + o.path + (qs ? `?${qs}` : ''), init: { method: o.method, headers, body }, oauth };
}

/** `Authorization: Basic` for /oauth2/token: base64(enc(key):enc(secret)). */
export const basic = (key: string, secret: string): string =>
  'Basic ' + Buffer.from(`${enc(key)}:${enc(secret)}`).toString('base64');
