// v2 user lookups (§6 of the v2 contract): /2/users, /2/users/:id, /2/users/by,
// /2/users/by/username/:username, /2/users/me (and /2/users/search). Default and full user
// objects (§2.1), connection_status for a user caller, partial errors for missing and suspended
// users (§5.5, exact member order), and the recorded replies' shapes. Every reply is validated
// against the OpenAPI document (test/support/v2.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TwitterApi } from 'twitter-api-v2';
import { USER_FIELDS } from '../../../src/wire/v2/user.js';
import type { Harness, TestUser } from '../../support/harness.js';
import { catalogueBody } from '../../support/openapi.js';
import { assertShape, recordedBodies } from '../../support/recorded.js';
import { assertExact, call, idOf, partial, startV2Harness, text, validated } from '../../support/v2.js';

let h: Harness;
let ana: TestUser, bob: TestUser, pat: TestUser, sam: TestUser, dan: TestUser, eve: TestUser, zed: TestUser, gone: TestUser;
let app: TwitterApi;
const UNKNOWN = '1600000000000000001';
const ALL = USER_FIELDS.join(',');
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/;

before(async () => {
  h = await startV2Harness();
  ana = await h.user('anaroost', {
    name: 'Ana Roost', url: 'https://example.org/ana', description: 'Runs the nest at https://example.org/docs',
    location: 'Lisbon', email: 'ana@example.org', verified: true,
  });
  bob = await h.user('bob');
  pat = await h.user('pat', { protected: true });
  sam = await h.user('sam');
  dan = await h.user('dan');
  eve = await h.user('eve');
  zed = await h.user('zed');
  gone = await h.user('gone');
  await ana.client.v2.follow(idOf(ana), idOf(bob));
  await bob.client.v2.follow(idOf(bob), idOf(ana));
  await ana.client.v2.follow(idOf(ana), idOf(pat)); // a pending request
  await ana.client.v2.block(idOf(ana), idOf(dan));
  await ana.client.v2.mute(idOf(ana), idOf(eve));
  await h.server.services.graph.setState(sam.user.id, 'suspended');
  await h.server.services.graph.setState(gone.user.id, 'deactivated');
  app = await h.appClient();
});
after(() => h.close());

const plain = (u: TestUser) => ({ id: idOf(u), name: u.user.name, username: u.user.screenName });

describe('default fields', () => {
  test('id, name and username only, in that order, on every lookup (user context and app-only)', async () => {
    for (const c of [ana.client, app]) {
      assert.equal(text(await c.v2.user(idOf(bob))), text({ data: plain(bob) }));
      assert.equal(text(await c.v2.userByUsername('BOB')), text({ data: plain(bob) }), 'case-insensitive, stored spelling');
      assert.equal(text(await c.v2.users([idOf(bob), idOf(ana)])), text({ data: [plain(bob), plain(ana)] }), 'request order');
      assert.equal(text(await c.v2.usersByUsernames(['anaroost', 'Bob'])), text({ data: [plain(ana), plain(bob)] }));
    }
    assert.equal(text(await ana.client.v2.me()), text({ data: plain(ana) }));
  });

  test('shapes and headers match the recorded replies', async () => {
    const cases: [string, string, string, string][] = [
      ['test_client_get_user', '/2/users/by/username/', `/2/users/by/username/bob`, ''],
      ['test_client_get_users', '/2/users/by?', '/2/users/by', 'usernames'],
      ['test_client_get_me', '/2/users/me', '/2/users/me', ''],
    ];
    for (const [file, prefix, path, param] of cases) {
      const r = await call(h, 'GET', path, { user: ana }, { query: param ? { [param]: 'bob,anaroost' } : {} });
      assert.equal(r.status, 200, r.text);
      assertShape(r.json, recordedBodies(file, 'GET', prefix), { label: path });
      assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(r.headers.get('x-access-level'), 'read-write-directmessages');
    }
  });

  test('duplicates in ids and usernames return the user once', async () => {
    assert.equal(text(await app.v2.users([idOf(bob), idOf(bob)])), text({ data: [plain(bob)] }));
    assert.equal(text(await app.v2.usersByUsernames(['bob', 'BOB'])), text({ data: [plain(bob)] }));
  });

  test('a protected user is returned like any other', async () => {
    assert.equal(text(await app.v2.user(idOf(pat), { 'user.fields': 'protected' })), text({ data: { id: idOf(pat), name: 'pat', protected: true, username: 'pat' } }));
  });
});

describe('user.fields', () => {
  test('every field roost fills, keys alphabetical, seen by a follower', async () => {
    const { data } = await bob.client.v2.user(idOf(ana), { 'user.fields': ALL });
    const u = data as unknown as Record<string, unknown>;
    assert.match(String(u.created_at), ISO_MS);
    assert.equal(u.profile_image_url, `${h.url}/images/default_profile_normal.png`);
    const expected = {
      connection_status: ['following', 'followed_by'],
      created_at: new Date(ana.user.createdAt - (ana.user.createdAt % 1000)).toISOString(),
      description: 'Runs the nest at https://example.org/docs',
      entities: {
        description: { urls: [{ display_url: 'example.org/docs', end: 41, expanded_url: 'https://example.org/docs', start: 17, url: 'https://example.org/docs' }] },
        url: { urls: [{ display_url: 'example.org/ana', end: 23, expanded_url: 'https://example.org/ana', start: 0, url: 'https://example.org/ana' }] },
      },
      id: idOf(ana),
      is_identity_verified: false,
      location: 'Lisbon',
      name: 'Ana Roost',
      parody: false,
      profile_image_url: u.profile_image_url,
      protected: false,
      public_metrics: { followers_count: 1, following_count: 1, tweet_count: 0, listed_count: 0, like_count: 0, media_count: 0 },
      receives_your_dm: true,
      subscription_type: 'None',
      url: 'https://example.org/ana',
      username: 'anaroost',
      verified: true,
      verified_followers_count: 0,
      verified_type: 'blue',
    };
    assert.equal(text(u), text(expected));
    assert.deepEqual(Object.keys(u), Object.keys(u).sort(), 'alphabetical');
  });

  test('empty url and description are "", entities and location absent; app-only gets no connection fields', async () => {
    const { data } = await app.v2.user(idOf(bob), { 'user.fields': ALL });
    const u = data as unknown as Record<string, unknown>;
    assert.equal(u.url, '');
    assert.equal(u.description, '');
    for (const absent of ['entities', 'location', 'connection_status', 'receives_your_dm', 'confirmed_email', 'pinned_tweet_id', 'withheld']) {
      assert.ok(!(absent in u), `${absent} present: ${text(u)}`);
    }
    assert.deepEqual(u.public_metrics, { followers_count: 1, following_count: 1, tweet_count: 0, listed_count: 0, like_count: 0, media_count: 0 });
    for (const v of Object.values(u.public_metrics as object)) assert.ok(Number.isInteger(v));
    assert.equal(u.verified_type, 'none');
  });

  test('entities only when the url or the bio holds one', async () => {
    const { data } = await app.v2.user(idOf(ana), { 'user.fields': 'entities' });
    assert.deepEqual(Object.keys((data as any).entities), ['description', 'url']);
    const site = await h.user('siteonly', { url: 'http://example.net' });
    const { data: s } = await app.v2.user(idOf(site), { 'user.fields': 'entities' });
    assert.equal(text((s as any).entities), text({ url: { urls: [{ display_url: 'example.net', end: 18, expanded_url: 'http://example.net', start: 0, url: 'http://example.net' }] } }));
    const { data: b } = await app.v2.user(idOf(bob), { 'user.fields': 'entities,description' });
    assert.equal(text(b), text({ description: '', ...plain(bob) }));
  });

  test('connection_status: every value the caller relation can take', async () => {
    const { data } = await ana.client.v2.users([idOf(bob), idOf(pat), idOf(dan), idOf(eve), idOf(zed)], { 'user.fields': 'connection_status' });
    assert.deepEqual(data.map((u) => [u.username, u.connection_status]), [
      ['bob', ['following', 'followed_by']],
      ['pat', ['follow_request_sent']],
      ['dan', ['blocking']],
      ['eve', ['muting']],
      ['zed', []],
    ]);
    const seenByPat = await pat.client.v2.user(idOf(ana), { 'user.fields': 'connection_status' });
    assert.deepEqual(seenByPat.data.connection_status, ['follow_request_received']);
  });

  test('/2/users/me: confirmed_email for the caller, no connection fields about oneself', async () => {
    const { data } = await ana.client.v2.me({ 'user.fields': ALL });
    const u = data as unknown as Record<string, unknown>;
    assert.equal(u.confirmed_email, 'ana@example.org');
    assert.ok(!('connection_status' in u) && !('receives_your_dm' in u), text(u));
    assert.deepEqual(Object.keys(u), Object.keys(u).sort());
  });

  test('confirmed_email is only for /2/users/me (§2.1): not on a lookup of oneself', async () => {
    const { data } = await ana.client.v2.user(idOf(ana), { 'user.fields': 'confirmed_email' });
    assert.equal(text(data), text(plain(ana)));
  });
});

describe('partial errors', () => {
  test('/2/users: found users first, one entry per missing, deactivated or suspended id, in request order', async () => {
    const r = await app.v2.users([idOf(bob), UNKNOWN, idOf(sam), idOf(gone)]);
    assert.equal(text(r), text({
      data: [plain(bob)],
      errors: [partial('not-found', 'ids', UNKNOWN), partial('suspended', 'ids', idOf(sam)), partial('not-found', 'ids', idOf(gone))],
    }));
  });

  test('/2/users: the §5.6 example, byte for byte', async () => {
    const r = await call(h, 'GET', '/2/users', { user: bob }, { query: { ids: `${idOf(ana)},${UNKNOWN}` } });
    assertExact(r, 200, catalogueBody('200 — one of two ids').replaceAll('1113131071830515712', idOf(ana)));
  });

  test('/2/users/:id: unknown and suspended are 200 with errors only (§5.6 suspended body)', async () => {
    assert.equal(text(await ana.client.v2.user(UNKNOWN)), text({ errors: [partial('not-found', 'id', UNKNOWN)] }));
    const r = await call(h, 'GET', `/2/users/${idOf(sam)}`, { user: ana });
    assertExact(r, 200, catalogueBody('200 — suspended').replaceAll('1234000000000000009', idOf(sam)));
  });

  test('/2/users/by: parameter usernames, values echoed as sent', async () => {
    const r = await app.v2.usersByUsernames(['Bob', 'NoBody', 'SAM']);
    assert.equal(text(r), text({ data: [plain(bob)], errors: [partial('not-found', 'usernames', 'NoBody'), partial('suspended', 'usernames', 'SAM')] }));
  });

  test('/2/users/by/username/:username: parameter username', async () => {
    assert.equal(text(await app.v2.userByUsername('NoBody')), text({ errors: [partial('not-found', 'username', 'NoBody')] }));
    assert.equal(text(await app.v2.userByUsername('sam')), text({ errors: [partial('suspended', 'username', 'sam')] }));
    assert.equal(text(await app.v2.userByUsername('gone')), text({ errors: [partial('not-found', 'username', 'gone')] }));
  });

  test('nothing found: errors only, no data', async () => {
    const r = await app.v2.users([UNKNOWN, idOf(sam)]);
    assert.deepEqual(Object.keys(r), ['errors']);
    assert.equal(r.errors?.length, 2);
  });
});

describe('/2/users/search', () => {
  test('meta carries only next_token, as in X\'s SearchUsersResponse; nothing matched is {"meta":{}}', async () => {
    const r = await call(h, 'GET', '/2/users/search', { user: ana }, { query: { query: 'bob' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data[0].username, 'bob');
    assert.deepEqual(Object.keys(r.json.meta).filter((k) => k !== 'next_token'), []);
    assertExact(await call(h, 'GET', '/2/users/search', { user: ana }, { query: { query: 'qqqqqq' } }), 200, '{"meta":{}}');
  });
});

test('the validator saw every reply', () => {
  assert.ok(validated.count >= 40, `only ${validated.count} replies validated`);
});
