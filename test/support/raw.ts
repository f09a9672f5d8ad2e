// Requests below the client library: the raw body text (twitter-api-v2 runs JSON.parse, which
// rounds ids above 2^53), exact headers, and tweepy-style POSTs. Signed with sign.ts, which is
// written from RFC 5849 rather than borrowed from src/, so the server is not checked against itself.
import assert from 'node:assert/strict';
import type { Harness, TestUser } from './harness.js';
import { noteAuthorization } from './log-capture.js';
import { authorizationHeader, oauthParams } from './sign.js';

export type RawAuth = { bearer: string } | { user: TestUser } | { none: true };

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** the body through JSON.parse: fine for everything but the digits of big ids */
  json: any;
}

function oauthHeader(h: Harness, u: TestUser, method: 'GET' | 'POST', url: URL, form: Record<string, string>): string {
  const creds = { consumerKey: h.app.consumerKey, consumerSecret: h.app.consumerSecret, token: u.token, tokenSecret: u.secret };
  const params = [...url.searchParams, ...Object.entries(form)];
  return authorizationHeader(oauthParams(creds, { method, signedUrl: url.origin + url.pathname, params }));
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
  noteAuthorization(headers.authorization);
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
