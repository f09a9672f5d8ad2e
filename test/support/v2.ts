// Helpers for the v2 end-to-end tests. Every v2 reply they see goes through the OpenAPI
// validator (openapi.ts): the twitter-api-v2 clients carry a plugin that validates each /2
// response and error, and `call` (raw requests, for exact bytes and broken credentials)
// validates what it receives.
import assert from 'node:assert/strict';
import { ApiResponseError, type ITwitterApiClientPlugin, type TwitterApi } from 'twitter-api-v2';
import type { ServerConfig } from '../../src/config.js';
import { issueOAuth2Tokens } from '../../src/auth/oauth2-tokens.js';
import { startHarness, type Harness, type TestUser } from './harness.js';
import { templateOf, validateProblem, validateResponse } from './openapi.js';
import { authorizationHeader, oauthParams, send, type Reply, type SignOptions } from './sign.js';

/** How many /2 replies the plugin and `call` validated (a test can assert it grew). */
export const validated = { count: 0 };

/** Validates one /2 reply: against its operation, or (unknown routes) against `Problem`. */
export function validateV2(method: string, path: string, status: number, contentType: string | null | undefined, body: unknown): void {
  validated.count++;
  if (templateOf(method, path)) {
    validateResponse({ method, path, status, contentType, body });
  } else {
    assert.ok(status >= 400, `${method} ${path}: a success from a route the document lacks`);
    assert.equal(contentType, 'application/problem+json', `${method} ${path}: content type`);
    validateProblem(body, `${method} ${path} → ${status}`);
  }
}

/** A twitter-api-v2 plugin validating every /2 reply (success or error) the client receives. */
export function validatingPlugin(): ITwitterApiClientPlugin {
  const pathOf = (url: URL) => url.pathname;
  return {
    onAfterRequest({ url, params, response }) {
      if (!pathOf(url).startsWith('/2/')) return;
      validateV2(params.method, pathOf(url), 200, String(response.headers['content-type']), response.data);
    },
    onResponseError({ url, params, error }) {
      if (!pathOf(url).startsWith('/2/')) return;
      validateV2(params.method, pathOf(url), error.code, String(error.headers['content-type']), error.data);
    },
  };
}

/** A harness whose clients validate every /2 reply. */
export const startV2Harness = (overrides: Partial<ServerConfig> = {}): Promise<Harness> =>
  startHarness(overrides, { plugins: [validatingPlugin()] });

export type Auth = { user: TestUser } | { bearer: string } | { header: string } | { none: true };
export type Query = Record<string, string> | readonly (readonly [string, string])[];

/**
 * One raw request (OAuth 1.0a signed with sign.ts for `{ user }`); `json` is sent as the body of
 * a POST. The reply is validated before it is returned.
 */
export async function call(
  h: Harness, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, auth: Auth, o: { query?: Query; json?: unknown; body?: string } = {},
): Promise<Reply> {
  const pairs = Array.isArray(o.query) ? o.query : Object.entries(o.query ?? {});
  const url = new URL(h.url + path);
  for (const [k, v] of pairs) url.searchParams.append(k, v);
  const headers: Record<string, string> = {};
  if ('user' in auth) {
    const u = auth.user;
    const creds = { consumerKey: h.app.consumerKey, consumerSecret: h.app.consumerSecret, token: u.token, tokenSecret: u.secret };
    // sign.ts types the method as GET | POST; the base string takes any method name (RFC 5849 §3.4.1.1).
    headers.authorization = authorizationHeader(oauthParams(creds, { method: method as SignOptions['method'], signedUrl: url.origin + url.pathname, params: pairs }));
  }
  if ('bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
  if ('header' in auth) headers.authorization = auth.header;
  let body = o.body;
  if (o.json !== undefined) body = JSON.stringify(o.json);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await send(url.toString(), { method, headers, body });
  validateV2(method, url.pathname, r.status, r.headers.get('content-type'), r.json);
  return r;
}

/** The error a client call failed with (status asserted); its body was validated by the plugin. */
export async function failure(p: Promise<unknown>, status: number): Promise<ApiResponseError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiResponseError, `expected an API error, got ${String(err)}`);
    assert.equal(err.code, status, JSON.stringify(err.data));
    return err;
  }
  assert.fail(`expected HTTP ${status}, the call succeeded`);
}

/** JSON text with the members in the order they arrived: compares key order too. */
export const text = (v: unknown): string => JSON.stringify(v);

/** Asserts a raw reply's status and exact body text. */
export function assertExact(r: Reply, status: number, body: string | object): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.text, typeof body === 'string' ? body : JSON.stringify(body));
}

export const idOf = (u: TestUser): string => u.user.id.toString();

/** An OAuth 2.0 user access token for `u` with exactly these scopes, and a client using it. */
export async function oauth2(h: Harness, u: TestUser, scopes: readonly string[]): Promise<{ token: string; client: TwitterApi }> {
  const s = h.server.services;
  const t = await issueOAuth2Tokens(s.store, s.clock, h.app, u.user, scopes);
  return { token: t.access_token, client: h.bearerClient(t.access_token) };
}

export const READ = ['tweet.read', 'users.read'];

export const PROBLEMS = 'https://api.twitter.com/2/problems/';

/** A §5.5 partial error, members in the recorded order. */
export function partial(kind: 'not-found' | 'suspended' | 'not-authorized', parameter: string, value: string): Record<string, string> {
  if (kind === 'not-authorized') {
    return {
      value, detail: `Sorry, you are not authorized to see the user with id: [${value}].`, title: 'Authorization Error',
      resource_type: 'user', parameter, resource_id: value, section: 'data', type: `${PROBLEMS}not-authorized-for-resource`,
    };
  }
  return {
    value,
    detail: kind === 'not-found' ? `Could not find user with ${parameter}: [${value}].` : `User has been suspended: [${value}].`,
    title: kind === 'not-found' ? 'Not Found Error' : 'Forbidden',
    resource_type: 'user', parameter, resource_id: value, type: `${PROBLEMS}resource-not-found`,
  };
}

/** A §5.4 invalid-request body with these entries. */
export function invalid(...errors: { parameters: Record<string, string[]>; message: string }[]): string {
  return JSON.stringify({
    errors, title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: `${PROBLEMS}invalid-request`,
  });
}

/** The "path id must be the caller" entry (§3.7). */
export const notCaller = (param: string, named: string, caller: string) => ({
  parameters: { [param]: [named] }, message: `The \`${param}\` query parameter value [${named}] must be the same as the authenticating user [${caller}]`,
});
