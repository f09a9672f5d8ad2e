// v2 rate limits with limits on (§4): the three headers on every authenticated reply with each
// endpoint's Twitter-era limit, the exact 429 body once a bucket is empty, and independent
// buckets per endpoint, per user and per app. Every reply is validated against the OpenAPI document.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Harness, TestUser } from '../../support/harness.js';
import { catalogueBody } from '../../support/openapi.js';
import type { Reply } from '../../support/sign.js';
import { assertExact, call, idOf, oauth2, startV2Harness, type Auth } from '../../support/v2.js';
import { DEFAULT_SCOPES } from '../../../src/auth/oauth2-tokens.js';
import { createApp, createToken } from '../../../src/admin/accounts.js';
import { authorizationHeader, oauthParams } from '../../support/sign.js';

let h: Harness;
let ana: TestUser, bob: TestUser, cat: TestUser;
let bearer: Auth;

before(async () => {
  h = await startV2Harness({ rateLimits: true });
  ana = await h.user('ana');
  bob = await h.user('bob');
  cat = await h.user('cat');
  bearer = { bearer: h.app.bearerToken! };
});
after(() => h.close());

const TOO_MANY = () => catalogueBody('429 — rate');
const limits = (r: Reply) => ({
  limit: r.headers.get('x-rate-limit-limit'), remaining: r.headers.get('x-rate-limit-remaining'), reset: r.headers.get('x-rate-limit-reset'),
});

function assertWindow(r: Reply, limit: number, remaining: number, label: string): void {
  const l = limits(r);
  assert.equal(l.limit, String(limit), `${label}: limit`);
  assert.equal(l.remaining, String(remaining), `${label}: remaining`);
  const now = Date.now() / 1000;
  assert.ok(Number(l.reset) > now + 890 && Number(l.reset) <= now + 901, `${label}: reset ${l.reset} is about 15 minutes ahead`);
}

describe('headers', () => {
  test('every endpoint, first call: its user limit (§4 Twitter 2021-2023 column) and remaining = limit - 1', async () => {
    const u = await h.user('counter');
    const me = idOf(u), t = idOf(bob), body = { json: { target_user_id: t } };
    const table: [number, 'GET' | 'POST' | 'DELETE', string, object][] = [
      [900, 'GET', '/2/users', { query: { ids: t } }],
      [900, 'GET', `/2/users/${t}`, {}],
      [900, 'GET', '/2/users/by', { query: { usernames: 'bob' } }],
      [900, 'GET', '/2/users/by/username/bob', {}],
      [75, 'GET', '/2/users/me', {}],
      [15, 'GET', `/2/users/${t}/followers`, {}],
      [15, 'GET', `/2/users/${t}/following`, {}],
      [50, 'POST', `/2/users/${me}/following`, body],
      [50, 'DELETE', `/2/users/${me}/following/${t}`, {}],
      [15, 'GET', `/2/users/${me}/blocking`, {}],
      [50, 'POST', `/2/users/${me}/blocking`, body],
      [50, 'DELETE', `/2/users/${me}/blocking/${t}`, {}],
      [15, 'GET', `/2/users/${me}/muting`, {}],
      [50, 'POST', `/2/users/${me}/muting`, body],
      [50, 'DELETE', `/2/users/${me}/muting/${t}`, {}],
    ];
    for (const [limit, method, path, o] of table) {
      const r = await call(h, method, path, { user: u }, o);
      assert.equal(r.status, 200, `${method} ${path}: ${r.text}`);
      assertWindow(r, limit, limit - 1, `${method} ${path}`);
    }
  });

  test('app-only lookups and lists: the per-app limits (300, 15)', async () => {
    const t = idOf(bob);
    for (const [limit, path, query] of [[300, '/2/users', { ids: t }], [300, `/2/users/${t}`, {}], [300, '/2/users/by', { usernames: 'bob' }],
      [300, '/2/users/by/username/bob', {}], [15, `/2/users/${t}/followers`, {}], [15, `/2/users/${t}/following`, {}]] as const) {
      const r = await call(h, 'GET', path, bearer, { query });
      assert.equal(r.status, 200, r.text);
      assertWindow(r, limit, limit - 1, `app ${path}`);
    }
  });

  test('counted replies carry the headers even when they fail validation; 401s never do', async () => {
    const r = await call(h, 'GET', '/2/users', { user: cat }, { query: { ids: 'x' } });
    assert.equal(r.status, 400, r.text);
    assertWindow(r, 900, 899, 'invalid request');
    const anon = await call(h, 'GET', '/2/users', { none: true }, { query: { ids: idOf(bob) } });
    assert.equal(anon.status, 401);
    assert.equal(anon.headers.get('x-rate-limit-limit'), null);
  });

  test('the client library reads them (twitter-api-v2 rateLimit)', async () => {
    const r = await cat.client.v2.get('users/me', {}, { fullResponse: true });
    assert.equal(r.rateLimit?.limit, 75);
    assert.equal(r.rateLimit?.remaining, 74);
  });
});

describe('429', () => {
  test('50 follows count down 49..0; the 51st is the exact 429 with remaining 0 and the same reset', async () => {
    const seen: number[] = [];
    let reset: string | null = null;
    for (let i = 0; i < 50; i++) {
      const r = await call(h, 'POST', `/2/users/${idOf(ana)}/following`, { user: ana }, { json: { target_user_id: idOf(bob) } });
      assert.equal(r.status, 200, r.text);
      seen.push(Number(r.headers.get('x-rate-limit-remaining')));
      reset ??= r.headers.get('x-rate-limit-reset');
    }
    assert.deepEqual(seen, Array.from({ length: 50 }, (_, i) => 49 - i));
    const over = await call(h, 'POST', `/2/users/${idOf(ana)}/following`, { user: ana }, { json: { target_user_id: idOf(bob) } });
    assertExact(over, 429, TOO_MANY());
    assert.equal(over.headers.get('content-type'), 'application/problem+json');
    assert.deepEqual(limits(over), { limit: '50', remaining: '0', reset });
    // other endpoints, and the same endpoint for another user, are separate buckets
    const unfollow = await call(h, 'DELETE', `/2/users/${idOf(ana)}/following/${idOf(bob)}`, { user: ana });
    assertWindow(unfollow, 50, 49, 'DELETE following');
    const other = await call(h, 'POST', `/2/users/${idOf(bob)}/following`, { user: bob }, { json: { target_user_id: idOf(ana) } });
    assertWindow(other, 50, 49, 'another user');
  });

  test('app and user buckets are independent: the app spends its 15, users keep theirs', async () => {
    const target = await h.user('target');
    const path = `/2/users/${idOf(target)}/followers`;
    // one bucket per endpoint, whatever the path id: earlier app-only followers calls count too
    const first = await call(h, 'GET', path, bearer);
    assert.equal(first.status, 200, first.text);
    const left = Number(first.headers.get('x-rate-limit-remaining'));
    assert.ok(left < 14, 'the app already spent some of its window on this endpoint');
    for (let i = 0; i < left; i++) assert.equal((await call(h, 'GET', path, bearer)).status, 200);
    assertExact(await call(h, 'GET', path, bearer), 429, TOO_MANY());
    const user = await call(h, 'GET', path, { user: bob });
    assert.equal(user.status, 200, user.text);
    assertWindow(user, 15, 14, 'user after the app ran dry');
    const app2 = await h.appClient();
    await assert.rejects(app2.v2.followers(idOf(target)), (err: any) => err.code === 429 && err.rateLimit?.remaining === 0);
  });

  test('OAuth 2.0 user tokens spend the user\'s bucket, whichever credential they use', async () => {
    const u = await h.user('twocreds');
    const { token } = await oauth2(h, u, DEFAULT_SCOPES);
    const a = await call(h, 'GET', '/2/users/me', { user: u });
    assertWindow(a, 75, 74, 'OAuth 1.0a');
    const b = await call(h, 'GET', '/2/users/me', { bearer: token });
    assertWindow(b, 75, 73, 'OAuth 2.0 after OAuth 1.0a');
  });

  test('a user\'s buckets are per app: the same user through another app starts a window of its own', async () => {
    const u = await h.user('twoapps');
    const s = h.server.services;
    const other = await createApp(s.store, s.ids, s.clock, 'other app');
    const t = await createToken(s.store, s.clock, other, u.user);
    assertWindow(await call(h, 'GET', '/2/users/me', { user: u }), 75, 74, 'first app');
    const creds = { consumerKey: other.consumerKey, consumerSecret: other.consumerSecret, token: t.token, tokenSecret: t.secret };
    const header = authorizationHeader(oauthParams(creds, { method: 'GET', signedUrl: `${h.url}/2/users/me`, params: [] }));
    assertWindow(await call(h, 'GET', '/2/users/me', { header }), 75, 74, 'second app');
    assertWindow(await call(h, 'GET', '/2/users/me', { user: u }), 75, 73, 'first app again');
  });
});
