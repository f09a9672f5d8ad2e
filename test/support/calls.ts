// Helpers for the v1.1 write/flow/auth end-to-end tests through twitter-api-v2: expected errors, id lists
// (always stringified: ids exceed 2^53), users and relationships as the API reports them.
import assert from 'node:assert/strict';
import { ApiResponseError, type TwitterApi } from 'twitter-api-v2';
import type { Reply } from './sign.js';

type Params = Record<string, string | number | boolean>;

/** Runs `call` and asserts it fails with the given HTTP status and one v1 error `code` (and `message`). */
export async function expectV1Error(call: Promise<unknown>, status: number, code: number, message?: string): Promise<ApiResponseError> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof ApiResponseError, `expected an API error, got ${String(err)}`);
    assert.equal(err.code, status, `HTTP status; body ${JSON.stringify(err.data)}`);
    const errors = (err.data as { errors?: { code: number; message: string }[] }).errors;
    assert.equal(errors?.length, 1, JSON.stringify(err.data));
    assert.equal(errors![0]!.code, code, JSON.stringify(err.data));
    if (message !== undefined) assert.equal(errors![0]!.message, message);
    return err;
  }
  assert.fail(`expected ${status}/${code}, the call succeeded`);
}

/** A raw reply carries one standard error. */
export function assertV1Error(r: Reply, status: number, code: number, message?: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get('content-type'), 'application/json;charset=utf-8');
  assert.equal(r.json?.errors?.length, 1, r.text);
  assert.equal(r.json.errors[0].code, code, r.text);
  if (message !== undefined) assert.equal(r.json.errors[0].message, message);
}

export const post = (c: TwitterApi, endpoint: string, params: Params = {}): Promise<any> => c.v1.post(`${endpoint}.json`, params);
export const get = (c: TwitterApi, endpoint: string, params: Params = {}): Promise<any> => c.v1.get(`${endpoint}.json`, params);

/** The ids of a cursored ids endpoint (first page), as strings. */
export async function ids(c: TwitterApi, endpoint: string, params: Params = {}): Promise<string[]> {
  const r = await get(c, endpoint, { ...params, stringify_ids: true });
  assert.ok(Array.isArray(r.ids), JSON.stringify(r));
  return r.ids as string[];
}

export const showUser = (c: TwitterApi, screenName: string): Promise<any> => get(c, 'users/show', { screen_name: screenName });
export const me = (c: TwitterApi): Promise<any> => get(c, 'account/verify_credentials', { skip_status: true });

/** friendships/show from the authenticating user to `target`. */
export async function relationship(c: TwitterApi, target: string): Promise<{ source: any; target: any }> {
  return (await get(c, 'friendships/show', { target_screen_name: target })).relationship;
}

/** friendships/lookup connections of the authenticating user to one user. */
export async function connections(c: TwitterApi, screenName: string): Promise<string[]> {
  const items = await get(c, 'friendships/lookup', { screen_name: screenName });
  assert.equal(items.length, 1);
  return items[0].connections;
}

/** Unique, valid screen names (1-15 word characters) for tests sharing one server. */
export function namer(prefix: string): (base: string) => string {
  let n = 0;
  return (base) => `${prefix}${++n}_${base}`.slice(0, 15);
}
