// The headers X sends on every v2 answer (§1.3): api-version and x-response-time on successes
// and problems alike, and x-access-level for every authenticated caller, app-only included
// (recorded as `read`). Through the real wire, every reply validated against the OpenAPI document.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Harness, TestUser } from '../../support/harness.js';
import { call, idOf, oauth2, startV2Harness } from '../../support/v2.js';
import type { Reply } from '../../support/sign.js';

let h: Harness;
let ana: TestUser, bob: TestUser;

before(async () => {
  h = await startV2Harness();
  ana = await h.user('ana');
  bob = await h.user('bob');
});
after(() => h.close());

function assertV2Headers(r: Reply, accessLevel: string | null, what: string): void {
  assert.match(r.headers.get('api-version') ?? '', /^2\.\d+$/, `${what}: api-version`);
  assert.match(r.headers.get('x-response-time') ?? '', /^\d+$/, `${what}: x-response-time`);
  assert.equal(r.headers.get('x-access-level'), accessLevel, `${what}: x-access-level`);
}

test('user-context answers carry api-version, x-response-time and the token\'s access level, errors too', async () => {
  const ok = await call(h, 'GET', `/2/users/${idOf(bob)}`, { user: ana });
  assert.equal(ok.status, 200);
  assertV2Headers(ok, h.app.accessLevel, 'lookup');
  const bad = await call(h, 'GET', '/2/users/by', { user: ana }, { query: { usernames: '!' } });
  assert.equal(bad.status, 400);
  assertV2Headers(bad, h.app.accessLevel, 'invalid request');
});

test('app-only answers carry x-access-level read, as recorded, refusals included', async () => {
  const bearer = { bearer: h.app.bearerToken! };
  const ok = await call(h, 'GET', `/2/users/${idOf(bob)}/followers`, bearer);
  assert.equal(ok.status, 200);
  assertV2Headers(ok, 'read', 'followers');
  const refused = await call(h, 'GET', '/2/users/me', bearer);
  assert.equal(refused.status, 403);
  assertV2Headers(refused, 'read', 'me, app-only');
});

test('an OAuth 2.0 token\'s level follows its scopes', async () => {
  const read = await oauth2(h, ana, ['users.read', 'tweet.read']);
  assertV2Headers(await call(h, 'GET', '/2/users/me', { bearer: read.token }), 'read', 'read scopes');
  const write = await oauth2(h, ana, ['users.read', 'tweet.read', 'follows.write']);
  assertV2Headers(await call(h, 'GET', '/2/users/me', { bearer: write.token }), 'read-write', 'write scopes');
});

test('failed authentication and unknown routes carry api-version and x-response-time, and no access level', async () => {
  assertV2Headers(await call(h, 'GET', '/2/users/me', { none: true }), null, 'no credentials');
  assertV2Headers(await call(h, 'GET', '/2/nope', { user: ana }), null, 'unknown route');
});
