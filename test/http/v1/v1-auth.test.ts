// Authentication over the wire: OAuth 1.0a user context (§7), app-only bearers (§9) and token
// revocation (§8.4), with hand-signed requests so each part of a signature can be broken on purpose.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, createToken } from '../../../src/admin/accounts.js';
import type { AppRow } from '../../../src/store/types.js';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';
import { assertV1Error, me, expectV1Error } from '../../support/calls.js';
import { basic, send, sendSigned, signedRequest, type Credentials, type RequestOptions } from '../../support/sign.js';

let h: Harness;
let alice: TestUser;
let bob: TestUser;
before(async () => {
  h = await startHarness();
  alice = await h.user('alice');
  bob = await h.user('bob');
});
after(() => h.close());

const credsOf = (u: TestUser, app: AppRow = h.app): Credentials =>
  ({ consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: u.token, tokenSecret: u.secret });
const VERIFY = '/1.1/account/verify_credentials.json';
const getVerify = (creds: Credentials, o: Partial<RequestOptions> = {}) =>
  sendSigned(signedRequest(creds, { method: 'GET', origin: h.url, path: VERIFY, ...o }));
const bearerGet = (token: string) => send(`${h.url}/1.1/users/show.json?screen_name=bob`, { headers: { authorization: `Bearer ${token}` } });
const oauth2 = (path: string, authorization: string | undefined, form: string) => send(h.url + path, {
  method: 'POST',
  headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
  body: form,
});
const UNABLE = { errors: [{ code: 99, label: 'authenticity_token_error', message: 'Unable to verify your credentials' }] };

describe('OAuth 1.0a user context', () => {
  test('a correctly signed request succeeds (the baseline for every failure below)', async () => {
    const r = await getVerify(credsOf(alice));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.id_str, alice.user.id.toString());
  });

  test('no credentials, Basic, or an unparsable OAuth header: 400/215', async () => {
    assertV1Error(await send(h.url + VERIFY), 400, 215, 'Bad Authentication data.');
    assertV1Error(await send(h.url + VERIFY, { headers: { authorization: basic('alice', 'password') } }), 400, 215, 'Bad Authentication data.');
    assertV1Error(await send(h.url + VERIFY, { headers: { authorization: 'OAuth garbage' } }), 400, 215);
    assertV1Error(await send(`${h.url}/1.1/friendships/create.json`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'screen_name=bob',
    }), 400, 215);
  });

  test('unknown token 401/89; wrong token secret or consumer secret 401/32', async () => {
    const good = credsOf(alice);
    await expectV1Error(h.rawClient({ appKey: good.consumerKey, appSecret: good.consumerSecret, accessToken: '1-nosuchtoken', accessSecret: 'x' })
      .v1.get('account/verify_credentials.json'), 401, 89, 'Invalid or expired token.');
    await expectV1Error(h.rawClient({ appKey: good.consumerKey, appSecret: good.consumerSecret, accessToken: alice.token, accessSecret: 'wrong' })
      .v1.get('account/verify_credentials.json'), 401, 32, 'Could not authenticate you.');
    await expectV1Error(h.rawClient({ appKey: good.consumerKey, appSecret: 'wrong', accessToken: alice.token, accessSecret: alice.secret })
      .v1.get('account/verify_credentials.json'), 401, 32, 'Could not authenticate you.');
    // Another user's token signed with this user's secret.
    assertV1Error(await getVerify({ ...good, token: bob.token }), 401, 32);
    // A live token presented by a different app, correctly signed with that app's keys (§7.6 step 2).
    const s = h.server.services;
    const other = await createApp(s.store, s.ids, s.clock, 'foreign app');
    assertV1Error(await getVerify(credsOf(alice, other)), 401, 89, 'Invalid or expired token.');
  });

  test('a consumer-signed request without a user token: 401/32 (§7.1)', async () => {
    const { token: _t, tokenSecret: _s, ...consumerOnly } = credsOf(alice);
    assertV1Error(await getVerify(consumerOnly), 401, 32);
  });

  test('a replayed request (same nonce, same signature) is refused the second time', async () => {
    const req = signedRequest(credsOf(alice), { method: 'POST', origin: h.url, path: '/1.1/friendships/create.json', form: [['screen_name', 'bob']] });
    const first = await sendSigned(req);
    assert.equal(first.status, 200, first.text);
    assertV1Error(await sendSigned(req), 401, 32, 'Could not authenticate you.');
    // The same nonce under a fresh signature is still a replay.
    const nonce = 'fixed-nonce-for-replay';
    assert.equal((await getVerify(credsOf(alice), { nonce })).status, 200);
    assertV1Error(await getVerify(credsOf(alice), { nonce }), 401, 32);
    await sendSigned(signedRequest(credsOf(alice), { method: 'POST', origin: h.url, path: '/1.1/friendships/destroy.json', form: [['screen_name', 'bob']] }));
  });

  test('a timestamp an hour off: 401/135', async () => {
    const now = Math.floor(Date.now() / 1000);
    assertV1Error(await getVerify(credsOf(alice), { timestamp: now - 3600 }), 401, 135, 'Timestamp out of bounds.');
    assertV1Error(await getVerify(credsOf(alice), { timestamp: now + 3600 }), 401, 135);
    assert.equal((await getVerify(credsOf(alice), { timestamp: now - 60 })).status, 200, 'within the window');
  });

  test('a tampered body (one signed, another sent): 401/32 and nothing happens', async () => {
    const r = await sendSigned(signedRequest(credsOf(alice), {
      method: 'POST', origin: h.url, path: '/1.1/friendships/create.json', form: [['screen_name', 'bob']], sentForm: [['screen_name', 'alice']],
    }));
    assertV1Error(r, 401, 32);
    const extra = await sendSigned(signedRequest(credsOf(alice), {
      method: 'POST', origin: h.url, path: '/1.1/friendships/create.json', form: [['screen_name', 'bob']], sentForm: [['screen_name', 'bob'], ['follow', 'true']],
    }));
    assertV1Error(extra, 401, 32);
    assert.equal((await me(alice.client)).friends_count, 0);
  });

  test('parameters in the query string (tweepy) and in the form body both verify', async () => {
    const inQuery = await sendSigned(signedRequest(credsOf(alice), {
      method: 'POST', origin: h.url, path: '/1.1/blocks/create.json', query: [['screen_name', 'bob'], ['skip_status', 'True']],
    }));
    assert.equal(inQuery.status, 200, inQuery.text);
    assert.equal(inQuery.json.screen_name, 'bob');
    const inBody = await sendSigned(signedRequest(credsOf(alice), {
      method: 'POST', origin: h.url, path: '/1.1/blocks/destroy.json', form: [['screen_name', 'bob'], ['note', 'a b+c*!']],
    }));
    assert.equal(inBody.status, 200, inBody.text);
    const both = await sendSigned(signedRequest(credsOf(alice), {
      method: 'POST', origin: h.url, path: '/1.1/mutes/users/create.json', query: [['include_entities', 'false']], form: [['screen_name', 'bob']],
    }));
    assert.equal(both.status, 200, both.text);
    assert.equal(both.json.entities, undefined);
    const get = await sendSigned(signedRequest(credsOf(alice), {
      method: 'GET', origin: h.url, path: '/1.1/users/show.json', query: [['screen_name', 'bob'], ['include_entities', 'false']],
    }));
    assert.equal(get.status, 200, get.text);
    await alice.client.v1.post('mutes/users/destroy.json', { screen_name: 'bob' });
  });

  test('oauth_* parameters carried in the query string or the form body instead of a header', async () => {
    const q = await getVerify(credsOf(alice), { carry: 'query', query: [['skip_status', 'true']] });
    assert.equal(q.status, 200, q.text);
    assert.equal(q.json.screen_name, 'alice');
    const b = await sendSigned(signedRequest(credsOf(alice), {
      method: 'POST', origin: h.url, path: '/1.1/friendships/update.json', form: [['screen_name', 'bob']], carry: 'body',
    }));
    assert.equal(b.status, 200, b.text);
    assert.equal(b.json.relationship.source.screen_name, 'alice');
    assertV1Error(await getVerify({ ...credsOf(alice), tokenSecret: 'wrong' }, { carry: 'query' }), 401, 32);
  });

  test('the signed URL must be the one the request reached', async () => {
    const port = new URL(h.url).port;
    assertV1Error(await getVerify(credsOf(alice), { signedOrigin: `http://localhost:${port}` }), 401, 32);
    assertV1Error(await getVerify(credsOf(alice), { signedOrigin: `https://127.0.0.1:${port}` }), 401, 32);
  });

  test('with a public URL configured, signatures over it verify; other hosts still fail', async () => {
    const ph = await startHarness({ publicUrl: 'https://roost.example' });
    try {
      const carol = await ph.user('carol');
      const creds = credsOf(carol, ph.app);
      const at = (signedOrigin: string) => sendSigned(signedRequest(creds, { method: 'GET', origin: ph.url, path: VERIFY, signedOrigin }));
      const ok = await at('https://roost.example');
      assert.equal(ok.status, 200, ok.text);
      assert.equal((await at(ph.url)).status, 200, 'the URL the request reached also verifies');
      assertV1Error(await at('https://other.example'), 401, 32);
      assertV1Error(await at('http://roost.example'), 401, 32);
    } finally {
      await ph.close();
    }
  });
});

describe('app-only auth (§9)', () => {
  test('POST /oauth2/token: the app\'s bearer, the same one on every call', async () => {
    const auth = basic(h.app.consumerKey, h.app.consumerSecret);
    const r1 = await oauth2('/oauth2/token', auth, 'grant_type=client_credentials');
    assert.equal(r1.status, 200, r1.text);
    assert.equal(r1.headers.get('content-type'), 'application/json;charset=utf-8');
    const token: string = r1.json.access_token;
    assert.deepEqual(r1.json, { token_type: 'bearer', access_token: h.app.bearerToken });
    const r2 = await oauth2('/oauth2/token', auth, 'grant_type=client_credentials');
    assert.equal(r2.json.access_token, token);
    assert.equal((await bearerGet(token)).status, 200);
  });

  test('bad Basic credentials or grant_type: 403/99 with the authenticity_token_error label', async () => {
    const good = basic(h.app.consumerKey, h.app.consumerSecret);
    for (const [auth, form] of [
      [basic(h.app.consumerKey, 'wrong'), 'grant_type=client_credentials'],
      [basic('nosuchkey', h.app.consumerSecret), 'grant_type=client_credentials'],
      [good, 'grant_type=password'],
      [good, ''],
      [undefined, 'grant_type=client_credentials'],
    ] as const) {
      const r = await oauth2('/oauth2/token', auth, form);
      assert.equal(r.status, 403, `${auth} ${form}: ${r.text}`);
      assert.deepEqual(r.json, UNABLE);
    }
  });

  test('an unknown bearer: 401/89; a bearer on a user-only endpoint: 403/220', async () => {
    assertV1Error(await bearerGet('AAAAnosuchbearer'), 401, 89, 'Invalid or expired token.');
    assertV1Error(await send(h.url + VERIFY, { headers: { authorization: `Bearer ${h.app.bearerToken}` } }), 403, 220,
      'Your credentials do not allow access to this resource');
  });

  test('POST /oauth2/invalidate_token revokes the bearer; /oauth2/token then mints a different one', async () => {
    const s = h.server.services;
    const other = await createApp(s.store, s.ids, s.clock, 'revoking app');
    const auth = basic(other.consumerKey, other.consumerSecret);
    const old = other.bearerToken!;
    assert.equal((await bearerGet(old)).status, 200);
    const r = await oauth2('/oauth2/invalidate_token', auth, `access_token=${encodeURIComponent(old)}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { access_token: old });
    assertV1Error(await bearerGet(old), 401, 89, 'Invalid or expired token.');
    const minted = await oauth2('/oauth2/token', auth, 'grant_type=client_credentials');
    assert.equal(minted.status, 200);
    assert.notEqual(minted.json.access_token, old);
    assert.equal((await bearerGet(minted.json.access_token)).status, 200);
    assert.equal((await bearerGet(h.app.bearerToken!)).status, 200, "other apps' bearers are untouched");
    assert.equal((await oauth2('/oauth2/invalidate_token', basic(other.consumerKey, 'wrong'), `access_token=${minted.json.access_token}`)).status, 403);
  });

  test('invalidating another app\'s bearer: 403/348, and the bearer keeps working', async () => {
    const s = h.server.services;
    const other = await createApp(s.store, s.ids, s.clock, 'meddling app');
    const r = await oauth2('/oauth2/invalidate_token', basic(other.consumerKey, other.consumerSecret), `access_token=${h.app.bearerToken}`);
    assertV1Error(r, 403, 348, 'Client application is not permitted to to invalidate this token.');
    assert.equal((await bearerGet(h.app.bearerToken!)).status, 200);
  });

  test('/oauth2/invalidate_token also takes an OAuth 1.0a signature by the app, access_token in the query (newer docs)', async () => {
    const s = h.server.services;
    const other = await createApp(s.store, s.ids, s.clock, 'signing app');
    const owner = await h.user('owner');
    const t = await createToken(s.store, s.clock, other, owner.user);
    const r = await sendSigned(signedRequest(
      { consumerKey: other.consumerKey, consumerSecret: other.consumerSecret, token: t.token, tokenSecret: t.secret },
      { method: 'POST', origin: h.url, path: '/oauth2/invalidate_token', query: [['access_token', other.bearerToken!]] },
    ));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { access_token: other.bearerToken });
    assertV1Error(await bearerGet(other.bearerToken!), 401, 89);
  });
});

describe('POST /oauth/invalidate_token (§8.4)', () => {
  for (const path of ['/oauth/invalidate_token', '/1.1/oauth/invalidate_token', '/1.1/oauth/invalidate_token.json']) {
    test(`${path} revokes the signing token`, async () => {
      const u = await h.user(`rv${path.length}`);
      assert.equal((await getVerify(credsOf(u))).status, 200);
      const r = await sendSigned(signedRequest(credsOf(u), { method: 'POST', origin: h.url, path }));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { access_token: u.token });
      assertV1Error(await getVerify(credsOf(u)), 401, 89, 'Invalid or expired token.');
      await expectV1Error(u.client.v1.post('friendships/create.json', { screen_name: 'bob' }), 401, 89);
      assert.equal((await getVerify(credsOf(alice))).status, 200, "other users' tokens are untouched");
    });
  }
});
