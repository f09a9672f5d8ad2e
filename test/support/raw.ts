// Requests below the client library: the raw body text (twitter-api-v2 runs JSON.parse, which
// rounds ids above 2^53), exact headers, and tweepy-style POSTs. OAuth 1.0a signing is written
// out here from RFC 5849 rather than borrowed from src/, so the server is not checked against itself.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import type { Harness, TestUser } from './harness.js';

export type RawAuth = { bearer: string } | { user: TestUser } | { none: true };

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** the body through JSON.parse: fine for everything but the digits of big ids */
  json: any;
}

const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

function oauthHeader(h: Harness, u: TestUser, method: string, url: URL, form: Record<string, string>): string {
  const oauth: Record<string, string> = {
    oauth_consumer_key: h.app.consumerKey,
    oauth_nonce: randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.floor(Date.now() / 1000)),
    oauth_token: u.token,
    oauth_version: '1.0',
  };
  const pairs: [string, string][] = [...url.searchParams, ...Object.entries(form), ...Object.entries(oauth)];
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const paramString = pairs.map(([k, v]) => [enc(k), enc(v)] as const).sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]))
    .map(([k, v]) => `${k}=${v}`).join('&');
  const base = `${method}&${enc(url.origin + url.pathname)}&${enc(paramString)}`;
  const signature = createHmac('sha1', `${enc(h.app.consumerSecret)}&${enc(u.secret)}`).update(base).digest('base64');
  return 'OAuth ' + Object.entries({ ...oauth, oauth_signature: signature }).map(([k, v]) => `${enc(k)}="${enc(v)}"`).join(', ');
}

/** One request; `query` goes in the URL, `form` in an x-www-form-urlencoded body. */
export async function raw(
  h: Harness, method: 'GET' | 'POST', path: string, auth: RawAuth,
  o: { query?: Record<string, string>; form?: Record<string, string> } = {},
): Promise<RawResponse> {
  const url = new URL(h.url + path);
  for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.append(k, v);
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (o.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(o.form).toString();
  }
  if ('bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
  if ('user' in auth) headers.authorization = oauthHeader(h, auth.user, method, url, o.form ?? {});
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const bearerOf = (h: Harness): RawAuth => ({ bearer: h.app.bearerToken! });

/** Every `"name":<integer token>` in the raw text, digits as written. */
export function rawIntegers(text: string, name: string): string[] {
  return [...text.matchAll(new RegExp(`"${name}":(-?\\d+)(?=[,}\\]])`, 'g'))].map((m) => m[1]!);
}

/** The elements of the raw `"ids":[…]` array, exactly as written (quotes kept for strings). */
export function rawIdsArray(text: string, key = 'ids'): string[] {
  const m = new RegExp(`"${key}":\\[([^\\]]*)\\]`).exec(text);
  assert.ok(m, `no "${key}" array in ${text.slice(0, 200)}`);
  return m[1] === '' ? [] : m[1]!.split(',');
}

/** Asserts a standard Twitter error: status, single error, code and (optionally) exact message. */
export function assertV1Error(r: RawResponse, status: number, code: number, message?: string): void {
  assert.equal(r.status, status, `status of ${r.text}`);
  assert.equal(r.headers.get('content-type'), 'application/json;charset=utf-8');
  assert.equal(r.json?.errors?.length, 1, r.text);
  assert.equal(r.json.errors[0].code, code, r.text);
  if (message !== undefined) assert.equal(r.json.errors[0].message, message);
}
