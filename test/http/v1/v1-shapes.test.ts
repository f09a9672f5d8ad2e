// Response shapes of the v1.1 reads against real recorded Twitter responses: the key set and
// order and the JSON type at every path (never values: the recordings are other accounts'
// data, parsed with JSON.parse). Exclusions, per the spec:
// - whether a field may be null (`url`) and what `entities` holds depend on the account, not
//   the endpoint, so types and nested shapes are checked against every recorded user object
//   (`pool`), the top-level key order against the endpoint's own recording only;
// - `status` and `profile_banner_url` are dropped from the recordings (roost stores no
//   tweets, §11.6, and no banners, §11.1) — see ROOST_OMITS in test/support/recorded.ts;
// - `email` appears only with include_email (§14.24), checked separately below;
// - blocks/list and mutes/users/list have no recorded user objects; their variant is the
//   recorded followers/list object without `live_following` (§11.3 table);
// - friendships/lookup has no recording; the §12.2 example of the spec stands in for it;
// - rate_limit_status lists only roost's own families (§14.25), so its families are checked
//   as a subset of the recorded payload, each entry against the recorded entry shape.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TwitterApi } from 'twitter-api-v2';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';
import { allRecordedUsers, assertShape, jsonType, keysWith, recordedBodies, specExample, usersOf } from '../../support/recorded.js';
import { bearerOf, raw } from '../../support/raw.js';
import { block, follow, idOf, mute } from '../../support/reads.js';

let h: Harness;
let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser, erin: TestUser;
let app: TwitterApi;

before(async () => {
  h = await startHarness();
  alice = await h.user('alice', { url: 'https://example.org/alice', email: 'alice@example.org', description: 'see https://example.org/x' });
  bob = await h.user('bob', { url: 'https://example.org/bob', name: 'Bob Example' });
  carol = await h.user('carol'); // no url: `url` is null and `entities.url` absent
  dave = await h.user('dave');
  erin = await h.user('erin');
  await follow(alice, bob);
  await follow(bob, alice);
  await follow(carol, alice);
  await follow(alice, carol);
  await block(alice, dave);
  await mute(alice, erin);
  app = await h.appClient();
});
after(() => h.close());

const pool = allRecordedUsers();
const recordedUsers = (file: string, method: string, path: string) => recordedBodies(file, method, path).flatMap(usersOf);

describe('user objects', () => {
  const showSamples = () => recordedUsers('testgetuser', 'GET', '/1.1/users/show.json');

  test('users/show of another user (user context and app-only) matches the recorded users/show', async () => {
    for (const client of [alice.client, app]) {
      for (const target of [bob, carol]) {
        const u = await client.v1.get('users/show.json', { screen_name: target.user.screenName });
        assertShape(u, showSamples(), { pool, label: `users/show ${target.user.screenName}` });
      }
    }
  });

  test('users/show of oneself carries the self extras, as recorded in testme', async () => {
    const u = await alice.client.v1.get('users/show.json', { user_id: idOf(alice) });
    assertShape(u, recordedUsers('testme', 'GET', '/1.1/users/show.json'), { pool, label: 'users/show self' });
    assert.deepEqual(Object.keys(u).slice(-2), ['suspended', 'needs_phone_verification']);
  });

  test('users/lookup by GET, by tweepy-style POST (query, empty body) and by form POST', async () => {
    const samples = recordedUsers('testlookupusers', 'POST', '/1.1/users/lookup.json');
    const ids = `${idOf(bob)},${idOf(carol)}`;
    const viaGet = await alice.client.v1.get('users/lookup.json', { user_id: ids });
    const viaQuery = await alice.client.v1.post(`users/lookup.json?user_id=${encodeURIComponent(ids)}`, {});
    const viaForm = await alice.client.v1.post('users/lookup.json', { screen_name: 'bob,carol' });
    for (const [label, list] of [['GET', viaGet], ['POST query', viaQuery], ['POST form', viaForm]] as const) {
      assert.equal(list.length, 2, label);
      for (const u of list) assertShape(u, samples, { pool, label: `users/lookup ${label}` });
    }
  });

  test('users/search matches the recorded users/search', async () => {
    const found = await alice.client.v1.get('users/search.json', { q: 'bob' });
    assert.ok(found.length > 0);
    for (const u of found) assertShape(u, recordedUsers('testsearchusers', 'GET', '/1.1/users/search.json'), { pool, label: 'users/search' });
  });

  test('account/verify_credentials matches the recorded self object, with and without status', async () => {
    const samples = [
      ...recordedUsers('testverifycredentials', 'GET', '/1.1/account/verify_credentials.json'),
      ...recordedUsers('testme', 'GET', '/1.1/account/verify_credentials.json'),
    ];
    for (const params of [{}, { include_entities: 'True' }, { skip_status: 'True' }]) {
      const u = await alice.client.v1.get('account/verify_credentials.json', params);
      assertShape(u, samples, { pool, label: `verify_credentials ${JSON.stringify(params)}` });
      assert.equal('email' in u, false, 'email only with include_email');
    }
  });

  test('verify_credentials include_email adds `email` right after screen_name: a string, or null', async () => {
    const [sample] = recordedUsers('testverifycredentials', 'GET', '/1.1/account/verify_credentials.json?skip_status');
    const expected = keysWith(Object.keys(sample!).filter((k) => k !== 'status' && k !== 'profile_banner_url'), 'email', 'screen_name');
    const withEmail = await alice.client.v1.get('account/verify_credentials.json', { include_email: 'true' });
    assert.deepEqual(Object.keys(withEmail), expected);
    assert.equal(withEmail.email, alice.user.email);
    const noEmail = await bob.client.v1.get('account/verify_credentials.json', { include_email: 'true' });
    assert.deepEqual(Object.keys(noEmail), expected);
    assert.equal(noEmail.email, null);
  });
});

describe('cursored pages', () => {
  const wrapper = (file: string, path: string) => recordedBodies(file, 'GET', path);

  test('followers/list and friends/list: page wrapper and list user variant', async () => {
    for (const [endpoint, file] of [['followers/list.json', 'testgetfollowers'], ['friends/list.json', 'testgetfriends']] as const) {
      const page = await alice.client.v1.get(endpoint, {});
      assert.equal(page.users.length, 2, endpoint);
      const samples = wrapper(file, `/1.1/${endpoint}`);
      assertShape(page, samples, { pool: [{ users: pool }], label: endpoint });
      for (const u of page.users) assertShape(u, samples.flatMap(usersOf), { pool, label: `${endpoint} user` });
    }
  });

  test('blocks/list and mutes/users/list: wrapper as recorded, users as the list variant without live_following', async () => {
    const listUsers = [...wrapper('testgetfollowers', '/1.1/followers/list.json'), ...wrapper('testgetfriends', '/1.1/friends/list.json')].flatMap(usersOf);
    for (const [endpoint, who] of [['blocks/list.json', dave], ['mutes/users/list.json', erin]] as const) {
      const page = await alice.client.v1.get(endpoint, {});
      assertShape(page, wrapper('testgetblocks', '/1.1/blocks/list.json'), { label: endpoint });
      assert.deepEqual(page.users.map((u: { id_str: string }) => u.id_str), [idOf(who)]);
      assertShape(page.users[0], listUsers, { omit: ['live_following'], pool, label: `${endpoint} user` });
    }
  });

  test('ids pages: followers/ids, friends/ids, blocks/ids, mutes/users/ids', async () => {
    const cases = [
      ['followers/ids.json', 'testgetfollowerids'], ['friends/ids.json', 'testgetfriendids'],
      ['blocks/ids.json', 'testgetblockedids'], ['mutes/users/ids.json', 'testgetblockedids'],
    ] as const;
    const numberIds = wrapper('testgetfollowerids', '/1.1/followers/ids.json');
    for (const [endpoint, file] of cases) {
      const page = await alice.client.v1.get(endpoint, {});
      assert.ok(page.ids.length > 0, endpoint);
      assertShape(page, [...wrapper(file, `/1.1/${endpoint.replace('mutes/users', 'blocks')}`), ...numberIds], { label: endpoint });
      // stringify_ids changes only the elements of `ids` (§4)
      const s = await alice.client.v1.get(endpoint, { stringify_ids: 'true' });
      assert.deepEqual(Object.keys(s), Object.keys(page));
      assert.ok(s.ids.every((id: unknown) => jsonType(id) === 'string'), `${endpoint} stringify_ids`);
      assert.equal(jsonType(s.next_cursor), 'number');
    }
  });
});

describe('relationships', () => {
  test('friendships/show matches the recorded relationship (source = the caller)', async () => {
    const samples = recordedBodies('testgetfriendship', 'GET', '/1.1/friendships/show.json');
    const rel = await alice.client.v1.get('friendships/show.json', { target_screen_name: 'bob' });
    assertShape(rel, samples, { label: 'friendships/show' });
    const all = [...Object.values(rel.relationship.source), ...Object.values(rel.relationship.target)];
    assert.ok(!all.includes(null), 'no nulls when the source is the caller');
  });

  test('friendships/show for a third-party source: same keys, private members null (§12.1)', async () => {
    const samples = recordedBodies('testgetfriendship', 'GET', '/1.1/friendships/show.json') as { relationship: Record<string, object> }[];
    for (const client of [alice.client, app]) {
      const rel = await client.v1.get('friendships/show.json', { source_screen_name: 'bob', target_screen_name: 'carol' });
      for (const side of ['source', 'target'] as const) {
        assert.deepEqual(Object.keys(rel.relationship[side]), Object.keys(samples[0]!.relationship[side]!), side);
      }
    }
  });

  test('friendships/lookup items have the keys of the spec example (§12.2; no recording exists)', async () => {
    const example = specExample('### 12.2') as unknown[];
    const items = await alice.client.v1.get('friendships/lookup.json', { screen_name: 'bob,carol,dave,erin' });
    assert.equal(items.length, 4);
    for (const item of items) {
      assertShape({ items: [item] }, [{ items: example }], { label: 'friendships/lookup' });
      assert.deepEqual(Object.keys(item), Object.keys(example[0] as object));
    }
  });
});

describe('application/rate_limit_status', () => {
  const ROOST_KEYS: Record<string, string[]> = { // §10.4
    followers: ['/followers/ids', '/followers/list'],
    friends: ['/friends/ids', '/friends/list'],
    friendships: ['/friendships/incoming', '/friendships/outgoing', '/friendships/lookup', '/friendships/no_retweets/ids', '/friendships/show'],
    users: ['/users/lookup', '/users/search', '/users/show/:id'],
    blocks: ['/blocks/ids', '/blocks/list'],
    mutes: ['/mutes/users/ids', '/mutes/users/list'],
    account: ['/account/update_profile', '/account/verify_credentials'],
    application: ['/application/rate_limit_status'],
  };

  test('payload: recorded top-level shape; every family and key roost lists exists in the recording', async () => {
    const [recorded] = recordedBodies('testratelimitstatus', 'GET', '/1.1/application/rate_limit_status.json') as
      { rate_limit_context: object; resources: Record<string, Record<string, object>> }[];
    const r = await alice.client.v1.get('application/rate_limit_status.json');
    assert.deepEqual(Object.keys(r), Object.keys(recorded!));
    assert.deepEqual(Object.keys(r.rate_limit_context), Object.keys(recorded!.rate_limit_context));
    assert.equal(r.rate_limit_context.access_token, alice.token);
    const entrySample = Object.values(recorded!.resources.followers!)[0]!;
    assert.deepEqual(Object.keys(r.resources).sort(), Object.keys(ROOST_KEYS).sort());
    for (const [family, entries] of Object.entries(r.resources as Record<string, Record<string, object>>)) {
      assert.deepEqual(Object.keys(entries).sort(), [...ROOST_KEYS[family]!].sort(), family);
      for (const [key, entry] of Object.entries(entries)) {
        assert.ok(recorded!.resources[family]?.[key], `${family} ${key} is not in the recorded payload`);
        assertShape(entry, [entrySample], { label: `${family} ${key}` });
      }
    }
  });

  test('app-only: context names the application; entries carry the app limits of §10.4', async () => {
    const r = await raw(h, 'GET', '/1.1/application/rate_limit_status.json', bearerOf(h));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.rate_limit_context, { application: h.app.consumerKey });
    assert.equal(r.json.resources.users['/users/lookup'].limit, 300);
    assert.equal(r.json.resources.users['/users/show/:id'].limit, 900);
    assert.equal(r.json.resources.friendships['/friendships/show'].limit, 15);
    // limits are off in this harness, so nothing is spent; v1-rate-limits checks the counting
    assert.equal(r.json.resources.application['/application/rate_limit_status'].remaining, 180);
  });

  test('resources= filters families; unknown names are ignored', async () => {
    const r = await alice.client.v1.get('application/rate_limit_status.json', { resources: 'followers,users,nonsense' });
    assert.deepEqual(Object.keys(r.resources).sort(), ['followers', 'users']);
    const none = await alice.client.v1.get('application/rate_limit_status.json', { resources: 'nonsense' });
    assert.deepEqual(none.resources, {});
  });
});
