// v2 authentication and authorization (§3.1, §3.7, §5.6): 401 for missing or bad credentials
// (exact body, no rate-limit headers), 403 unsupported-authentication for app-only bearer
// tokens on user-only endpoints, OAuth 2.0 user tokens (scopes, users.email, expiry,
// revocation), and read-only OAuth 1.0a tokens on writes. Every reply is validated against
// the OpenAPI document.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createToken } from '../../../src/admin/accounts.js';
import { DEFAULT_SCOPES, hashToken, issueOAuth2Tokens } from '../../../src/auth/oauth2-tokens.js';
import type { Harness, TestUser } from '../../support/harness.js';
import { catalogueBody } from '../../support/openapi.js';
import type { Reply } from '../../support/sign.js';
import { assertExact, call, failure, idOf, oauth2, READ, startV2Harness, text, type Auth } from '../../support/v2.js';

let h: Harness;
let ana: TestUser, bob: TestUser, pat: TestUser;

before(async () => {
  h = await startV2Harness();
  ana = await h.user('ana', { email: 'ana@example.org' });
  bob = await h.user('bob');
  pat = await h.user('pat', { protected: true });
});
after(() => h.close());

const UNAUTHORIZED = () => catalogueBody('401');
const APP_ONLY = () => catalogueBody('403 — app-only');
const NO_SCOPE = () => catalogueBody('403 — OAuth 2.0 token');
const READ_ONLY = () => catalogueBody('403 — read-only');

type Req = [method: 'GET' | 'POST' | 'DELETE', path: string, o: { query?: Record<string, string>; json?: unknown }];

/** One request per endpoint of the surface, acting as `u`. */
function everyEndpoint(u: TestUser, target: TestUser): Req[] {
  const me = idOf(u), t = idOf(target), body = { json: { target_user_id: t } };
  return [
    ['GET', '/2/users', { query: { ids: t } }],
    ['GET', `/2/users/${t}`, {}],
    ['GET', '/2/users/by', { query: { usernames: target.user.screenName } }],
    ['GET', `/2/users/by/username/${target.user.screenName}`, {}],
    ['GET', '/2/users/me', {}],
    ['GET', `/2/users/${t}/followers`, {}],
    ['GET', `/2/users/${t}/following`, {}],
    ['POST', `/2/users/${me}/following`, body],
    ['DELETE', `/2/users/${me}/following/${t}`, {}],
    ['GET', `/2/users/${me}/blocking`, {}],
    ['POST', `/2/users/${me}/blocking`, body],
    ['DELETE', `/2/users/${me}/blocking/${t}`, {}],
    ['GET', `/2/users/${me}/muting`, {}],
    ['POST', `/2/users/${me}/muting`, body],
    ['DELETE', `/2/users/${me}/muting/${t}`, {}],
  ];
}

const run = (auth: Auth, [method, path, o]: Req): Promise<Reply> => call(h, method, path, auth, o);
const noLimitHeaders = (r: Reply) =>
  assert.deepEqual(['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset'].filter((k) => r.headers.has(k)), [], 'no rate-limit headers');

describe('401', () => {
  test('no credentials, an unknown bearer, a Basic header: exact body, no rate-limit headers, on every endpoint', async () => {
    for (const auth of [{ none: true }, { bearer: 'AAAAAAAAAAAAAAAAAAAAAnope' }, { header: 'Basic YTpi' }, { header: 'OAuth garbage' }] as Auth[]) {
      for (const req of everyEndpoint(ana, bob)) {
        const r = await run(auth, req);
        assertExact(r, 401, UNAUTHORIZED());
        assert.equal(r.headers.get('content-type'), 'application/problem+json');
        noLimitHeaders(r);
      }
    }
  });

  test('a bad OAuth 1.0a signature or an unknown access token (through the client library)', async () => {
    const wrongSecret = h.rawClient({ appKey: h.app.consumerKey, appSecret: 'wrong', accessToken: ana.token, accessSecret: ana.secret });
    const unknownToken = h.rawClient({ appKey: h.app.consumerKey, appSecret: h.app.consumerSecret, accessToken: `${idOf(ana)}-nope`, accessSecret: ana.secret });
    for (const c of [wrongSecret, unknownToken]) {
      // One call at a time: a promise created before it is awaited could reject unhandled.
      for (const call of [() => c.v2.me(), () => c.v2.user(idOf(bob)), () => c.v2.follow(idOf(ana), idOf(bob))]) {
        const e = await failure(call(), 401);
        assert.equal(text(e.data), UNAUTHORIZED());
        assert.equal(e.headers['x-rate-limit-limit'], undefined);
      }
    }
  });
});

describe('app-only', () => {
  const userOnly = (path: string, method: string) => method !== 'GET' || /\/(me|blocking|muting)$/.test(path);

  test('refused on /2/users/me, the writes, blocking and muting: 403 unsupported-authentication', async () => {
    const bearer = { bearer: h.app.bearerToken! };
    for (const req of everyEndpoint(ana, bob)) {
      const r = await run(bearer, req);
      if (userOnly(req[1], req[0])) {
        assertExact(r, 403, APP_ONLY());
        assert.equal(r.headers.get('content-type'), 'application/problem+json');
      } else {
        assert.equal(r.status, 200, `${req[0]} ${req[1]}: ${r.text}`);
      }
    }
    const app = await h.appClient();
    assert.equal(text((await failure(app.v2.me(), 403)).data), APP_ONLY());
  });
});

describe('OAuth 2.0 user tokens', () => {
  test('with the default scopes every endpoint works; user context features apply', async () => {
    const { token } = await oauth2(h, ana, DEFAULT_SCOPES);
    for (const req of everyEndpoint(ana, bob)) {
      const r = await run({ bearer: token }, req);
      assert.equal(r.status, 200, `${req[0]} ${req[1]}: ${r.text}`);
    }
    const { client } = await oauth2(h, ana, DEFAULT_SCOPES);
    assert.equal(text(await client.v2.follow(idOf(ana), idOf(pat))), '{"data":{"following":false,"pending_follow":true}}');
    assert.deepEqual((await client.v2.user(idOf(pat), { 'user.fields': 'connection_status' })).data.connection_status, ['follow_request_sent']);
  });

  test('a missing scope is 403 Forbidden: each endpoint needs exactly its scopes', async () => {
    const needs: Record<string, string[]> = {
      'GET /2/users/me': READ, 'GET followers': ['follows.read', ...READ], 'POST following': ['follows.write', ...READ],
      'GET blocking': ['block.read', ...READ], 'POST blocking': ['block.write', ...READ], 'GET muting': ['mute.read', ...READ],
      'POST muting': ['mute.write', ...READ],
    };
    const reqs = everyEndpoint(ana, bob);
    const pick = (key: string): Req => {
      const [m, tail] = key.split(' ');
      return reqs.find(([method, path]) => method === m && path.endsWith(tail!))!;
    };
    for (const [key, scopes] of Object.entries(needs)) {
      for (const drop of scopes) {
        const { token } = await oauth2(h, ana, [...DEFAULT_SCOPES.filter((s) => s !== drop), 'users.email']);
        assertExact(await run({ bearer: token }, pick(key)), 403, NO_SCOPE());
      }
      const { token } = await oauth2(h, ana, scopes);
      assert.equal((await run({ bearer: token }, pick(key))).status, 200, `${key} with ${scopes.join(' ')}`);
    }
    const { client } = await oauth2(h, ana, ['users.read']);
    assert.equal(text((await failure(client.v2.me(), 403)).data), NO_SCOPE());
  });

  test('confirmed_email on /2/users/me needs users.email', async () => {
    const without = await oauth2(h, ana, READ);
    assert.equal((await without.client.v2.me({ 'user.fields': 'confirmed_email' })).data.confirmed_email, undefined);
    const withEmail = await oauth2(h, ana, [...READ, 'users.email']);
    assert.equal((await withEmail.client.v2.me({ 'user.fields': 'confirmed_email' })).data.confirmed_email, 'ana@example.org');
    assert.equal((await ana.client.v2.me({ 'user.fields': 'confirmed_email' })).data.confirmed_email, 'ana@example.org', 'OAuth 1.0a');
  });

  test('an expired token, a revoked one and a refresh token used as a bearer are 401', async () => {
    const s = h.server.services;
    const now = s.clock.now();
    const expired = 'expired-access-token-for-the-v2-auth-test';
    await s.store.insertOAuth2Token({
      tokenHash: hashToken(expired), kind: 'access', appId: h.app.id, userId: ana.user.id, scopes: DEFAULT_SCOPES,
      createdAt: now - 7_300_000, expiresAt: now - 100_000,
    });
    const { token } = await oauth2(h, ana, DEFAULT_SCOPES);
    assert.equal((await call(h, 'GET', '/2/users/me', { bearer: token })).status, 200);
    await s.store.revokeOAuth2Token(hashToken(token));
    const issued = await issueOAuth2Tokens(s.store, s.clock, h.app, ana.user, DEFAULT_SCOPES);
    for (const bad of [expired, token, issued.refresh_token!]) {
      const r = await call(h, 'GET', '/2/users/me', { bearer: bad });
      assertExact(r, 401, UNAUTHORIZED());
      noLimitHeaders(r);
    }
    assert.equal((await failure(h.bearerClient(expired).v2.me(), 401)).code, 401);
  });
});

describe('OAuth 1.0a access levels', () => {
  test('a read-only token reads (x-access-level: read) and is refused every write with oauth1-permissions', async () => {
    const s = h.server.services;
    const t = await createToken(s.store, s.clock, h.app, bob.user, 'read');
    const reader: TestUser = {
      user: bob.user, token: t.token, secret: t.secret,
      client: h.rawClient({ appKey: h.app.consumerKey, appSecret: h.app.consumerSecret, accessToken: t.token, accessSecret: t.secret }),
    };
    for (const req of everyEndpoint(reader, ana)) {
      const r = await run({ user: reader }, req);
      if (req[0] === 'GET') {
        assert.equal(r.status, 200, `${req[1]}: ${r.text}`);
      } else {
        assertExact(r, 403, READ_ONLY());
      }
      assert.equal(r.headers.get('x-access-level'), 'read');
    }
    assert.equal(text((await failure(reader.client.v2.follow(idOf(bob), idOf(ana)), 403)).data), READ_ONLY());
  });

  test('a read-write token carries its level in x-access-level', async () => {
    const r = await call(h, 'GET', '/2/users/me', { user: ana });
    assert.equal(r.headers.get('x-access-level'), 'read-write-directmessages');
  });
});
