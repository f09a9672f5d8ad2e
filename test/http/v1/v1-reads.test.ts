// Behaviour of the v1.1 follower/friend reads, users/show and verify_credentials: whose list
// is read, who may read it (§13.3), suspended and unknown users (§13.4), and the HTTP surface
// every reply shares (headers §2.4/§10.2, unknown routes §2.1-2.2).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TwitterApi } from 'twitter-api-v2';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';
import { assertV1Error, bearerOf, raw, rawIdsArray, rawIntegers } from '../../support/raw.js';
import { accept, allIds, expectV1Error, follow, idOf, mute, users } from '../../support/reads.js';

const JSON_TYPE = 'application/json;charset=utf-8';
const LISTS = ['followers/ids', 'followers/list', 'friends/ids', 'friends/list'] as const;

let h: Harness;
let app: TwitterApi;
let alice: TestUser, bob: TestUser, carol: TestUser;

before(async () => {
  h = await startHarness();
  app = await h.appClient();
  alice = await h.user('alice', { email: 'alice@example.org' });
  bob = await h.user('bob');
  carol = await h.user('carol');
  await follow(bob, alice);
  await follow(carol, alice);
  await follow(alice, bob);
});
after(() => h.close());

/** The ids a list endpoint returns, whichever kind it is. */
async function listIds(client: TwitterApi, endpoint: string, params: Record<string, string>): Promise<string[]> {
  if (endpoint.endsWith('/ids')) return allIds(client, `${endpoint}.json`, params);
  const r = await client.v1.get(`${endpoint}.json`, { ...params, count: '200' });
  return r.users.map((u: { id_str: string }) => u.id_str);
}

describe('whose list', () => {
  test('followers and friends lists default to the caller and equal the same list named by id or screen name', async () => {
    const expected: Record<string, string[]> = {
      followers: [carol, bob].map(idOf), // newest first
      friends: [bob].map(idOf),
    };
    for (const endpoint of LISTS) {
      const want = expected[endpoint.split('/')[0]!]!;
      assert.deepEqual(await listIds(alice.client, endpoint, {}), want, `${endpoint} default`);
      assert.deepEqual(await listIds(alice.client, endpoint, { user_id: idOf(alice) }), want, `${endpoint} user_id`);
      for (const name of ['alice', 'ALICE', 'aLiCe']) {
        assert.deepEqual(await listIds(carol.client, endpoint, { screen_name: name }), want, `${endpoint} ${name}`);
      }
      assert.deepEqual(await listIds(app, endpoint, { screen_name: 'Alice' }), want, `${endpoint} app-only`);
    }
  });

  test('user_id wins over screen_name (§3.4)', async () => {
    const ofBob = await listIds(carol.client, 'followers/ids', { user_id: idOf(bob) });
    assert.deepEqual(ofBob, [idOf(alice)]);
    assert.deepEqual(await listIds(carol.client, 'followers/ids', { user_id: idOf(bob), screen_name: 'alice' }), ofBob);
  });

  test('app-only without a user, and unknown users, are 404/50', async () => {
    for (const endpoint of LISTS) {
      await expectV1Error(app.v1.get(`${endpoint}.json`), 404, 50, 'User not found.');
      for (const params of [{ screen_name: 'nobody_here' }, { user_id: '12345' }, { user_id: 'abc' }]) {
        await expectV1Error(alice.client.v1.get(`${endpoint}.json`, params), 404, 50, 'User not found.');
      }
    }
  });

  test('users/show: user_id or screen_name (any case); neither is 403/38; unknown is 404/50', async () => {
    assert.equal((await app.v1.get('users/show.json', { screen_name: 'BOB' })).id_str, idOf(bob));
    assert.equal((await app.v1.get('users/show.json', { user_id: idOf(carol), screen_name: 'bob' })).id_str, idOf(carol));
    await expectV1Error(alice.client.v1.get('users/show.json'), 403, 38, 'user_id or screen_name parameter is missing.');
    await expectV1Error(alice.client.v1.get('users/show.json', { screen_name: 'nobody_here' }), 404, 50, 'User not found.');
  });
});

describe('suspended and deactivated users', () => {
  test('a suspended user: 403/63 as a target, left out of lookups, lists and counts', async () => {
    const sam = await h.user('sam');
    await follow(sam, alice);
    await follow(alice, sam);
    const before = await alice.client.v1.get('users/show.json', { screen_name: 'alice' });
    assert.ok((await listIds(alice.client, 'followers/ids', {})).includes(idOf(sam)));
    await h.server.services.graph.setState(sam.user.id, 'suspended');

    await expectV1Error(alice.client.v1.get('users/show.json', { screen_name: 'sam' }), 403, 63, 'User has been suspended.');
    await expectV1Error(app.v1.get('users/show.json', { user_id: idOf(sam) }), 403, 63, 'User has been suspended.');
    for (const endpoint of LISTS) {
      await expectV1Error(bob.client.v1.get(`${endpoint}.json`, { screen_name: 'sam' }), 403, 63);
      assert.ok(!(await listIds(alice.client, endpoint, {})).includes(idOf(sam)), `${endpoint} omits sam`);
    }
    const looked = await alice.client.v1.get('users/lookup.json', { screen_name: 'sam,bob' });
    assert.deepEqual(looked.map((u: { id_str: string }) => u.id_str), [idOf(bob)]);
    await expectV1Error(alice.client.v1.get('users/lookup.json', { user_id: idOf(sam) }), 404, 17);
    const after = await alice.client.v1.get('users/show.json', { screen_name: 'alice' });
    assert.equal(after.followers_count, before.followers_count - 1);
    assert.equal(after.friends_count, before.friends_count - 1);

    await h.server.services.graph.setState(sam.user.id, 'active');
    assert.ok((await listIds(alice.client, 'followers/ids', {})).includes(idOf(sam)), 'restored');
    assert.equal((await alice.client.v1.get('users/show.json', { screen_name: 'alice' })).followers_count, before.followers_count);
  });

  test('a restored user\'s lists leave out a still-hidden other end, and a cursor taken before a suspension keeps walking', async () => {
    const rae = await h.user('rae');
    const ned = await h.user('ned');
    const fans = await users(h, 'raefan', 4);
    await follow(ned, rae);
    for (const f of fans) await follow(f, rae);
    await follow(rae, ned);
    const g = h.server.services.graph;
    const show = async () => (await bob.client.v1.get('users/show.json', { screen_name: 'rae' })) as { followers_count: number; friends_count: number };
    const everyone = [...fans].reverse().map(idOf).concat(idOf(ned)); // followers, newest first

    await g.setState(rae.user.id, 'suspended');
    await g.setState(ned.user.id, 'deactivated');
    await g.setState(rae.user.id, 'active');
    assert.deepEqual(await listIds(bob.client, 'friends/ids', { screen_name: 'rae' }), []);
    assert.deepEqual(await listIds(bob.client, 'friends/list', { screen_name: 'rae' }), []);
    assert.deepEqual(await listIds(bob.client, 'followers/ids', { screen_name: 'rae' }), everyone.slice(0, 4));
    assert.deepEqual([(await show()).followers_count, (await show()).friends_count], [4, 0]);

    // Page 1 read, then a follower on page 2 is suspended: the same cursor skips it, then finds it
    // again. Integer ids, as the database writes them, read from the raw text.
    const ids = (query: Record<string, string>) => raw(h, 'GET', '/1.1/followers/ids.json', { user: bob }, { query: { screen_name: 'rae', count: '2', ...query } });
    const first = await ids({});
    assert.deepEqual(rawIdsArray(first.text), everyone.slice(0, 2));
    const cursor = rawIntegers(first.text, 'next_cursor')[0]!;
    await g.setState(fans[1]!.user.id, 'suspended');
    const second = await ids({ cursor });
    assert.deepEqual([rawIdsArray(second.text), rawIntegers(second.text, 'next_cursor')], [[idOf(fans[0]!)], ['0']]);
    await g.setState(fans[1]!.user.id, 'active');
    await g.setState(ned.user.id, 'active');
    assert.deepEqual(rawIdsArray((await ids({ cursor })).text), everyone.slice(2, 4));
    assert.deepEqual(await listIds(bob.client, 'followers/ids', { screen_name: 'rae' }), everyone, 'everyone back in place');
    assert.deepEqual(await listIds(bob.client, 'friends/list', { screen_name: 'rae' }), [idOf(ned)]);
    assert.deepEqual([(await show()).followers_count, (await show()).friends_count], [5, 1]);
  });

  test('a suspended caller gets 403/64, except on verify_credentials, which reports suspended: true', async () => {
    const sue = await h.user('sue');
    const self = await sue.client.v1.get('account/verify_credentials.json');
    assert.equal(self.suspended, false);
    assert.equal(self.needs_phone_verification, false);
    await h.server.services.graph.setState(sue.user.id, 'suspended');
    const suspended = await sue.client.v1.get('account/verify_credentials.json');
    assert.equal(suspended.suspended, true);
    assert.equal(suspended.id_str, idOf(sue));
    await expectV1Error(sue.client.v1.get('followers/ids.json'), 403, 64);
    await expectV1Error(sue.client.v1.get('users/show.json', { screen_name: 'alice' }), 403, 64);
  });

  test('a deactivated user does not exist: 404/50', async () => {
    const dee = await h.user('dee');
    await h.server.services.graph.setState(dee.user.id, 'deactivated');
    await expectV1Error(alice.client.v1.get('users/show.json', { screen_name: 'dee' }), 404, 50);
    await expectV1Error(alice.client.v1.get('followers/ids.json', { screen_name: 'dee' }), 404, 50);
  });
});

describe('a protected user\'s lists (§13.3)', () => {
  let pat: TestUser, fan: TestUser, asker: TestUser;
  before(async () => {
    pat = await h.user('pat', { protected: true });
    fan = await h.user('fan');
    asker = await h.user('asker');
    await follow(fan, pat);
    await accept(pat, fan);
    await follow(asker, pat); // stays pending
    await follow(pat, carol);
  });

  test('the owner and approved followers read them', async () => {
    for (const endpoint of LISTS) {
      const want = endpoint.startsWith('followers') ? [idOf(fan)] : [idOf(carol)];
      assert.deepEqual(await listIds(pat.client, endpoint, {}), want, `${endpoint} owner`);
      assert.deepEqual(await listIds(fan.client, endpoint, { screen_name: 'pat' }), want, `${endpoint} follower`);
    }
  });

  test('everyone else, pending requesters and app-only get 401 with the legacy body', async () => {
    for (const endpoint of LISTS) {
      const path = `/1.1/${endpoint}.json`;
      for (const auth of [{ user: bob }, { user: asker }, bearerOf(h)]) {
        const r = await raw(h, 'GET', path, auth, { query: { screen_name: 'pat', cursor: '-1' } });
        assert.equal(r.status, 401, `${endpoint} ${JSON.stringify(Object.keys(auth))}`);
        assert.equal(r.text, JSON.stringify({ request: path, error: 'Not authorized.' }));
        assert.equal(r.headers.get('content-type'), JSON_TYPE);
      }
    }
    const r = await raw(h, 'GET', '/1.1/followers/ids.json', { user: bob }, { query: { user_id: idOf(pat) } });
    assert.equal(r.text, '{"request":"/1.1/followers/ids.json","error":"Not authorized."}');
  });

  test('users/show of a protected user still works for anyone', async () => {
    assert.equal((await bob.client.v1.get('users/show.json', { screen_name: 'pat' })).protected, true);
    assert.equal((await app.v1.get('users/show.json', { screen_name: 'pat' })).id_str, idOf(pat));
  });
});

describe('account/verify_credentials', () => {
  test('returns the caller with the self extras; email only with include_email, lenient booleans', async () => {
    const me = await alice.client.v1.get('account/verify_credentials.json');
    assert.equal(me.id_str, idOf(alice));
    assert.equal(me.screen_name, 'alice');
    assert.deepEqual(Object.keys(me).slice(-2), ['suspended', 'needs_phone_verification']);
    assert.equal(me.followers_count, (await listIds(alice.client, 'followers/ids', {})).length);
    for (const on of ['true', 'True', 't', '1']) {
      assert.equal((await alice.client.v1.get('account/verify_credentials.json', { include_email: on })).email, 'alice@example.org', on);
    }
    for (const off of ['false', 'False', '0', '']) {
      assert.equal('email' in (await alice.client.v1.get('account/verify_credentials.json', { include_email: off })), false, off);
    }
    const bare = await alice.client.v1.get('account/verify_credentials.json', { include_entities: 'false' });
    assert.equal('entities' in bare, false);
  });

  test('app-only is refused with 403/220', async () => {
    await expectV1Error(app.v1.get('account/verify_credentials.json'), 403, 220, 'Your credentials do not allow access to this resource');
  });
});

describe('the HTTP surface', () => {
  const RATE_HEADERS = ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset'];

  test('GET reads carry rate-limit headers and x-access-level (user context); content-type is exact', async () => {
    const gets: [string, Record<string, string>][] = [
      ['/1.1/followers/ids.json', {}], ['/1.1/friends/list.json', {}], ['/1.1/users/show.json', { screen_name: 'bob' }],
      ['/1.1/users/lookup.json', { screen_name: 'bob' }], ['/1.1/users/search.json', { q: 'bob' }],
      ['/1.1/friendships/show.json', { target_screen_name: 'bob' }], ['/1.1/friendships/lookup.json', { screen_name: 'bob' }],
      ['/1.1/blocks/ids.json', {}], ['/1.1/mutes/users/list.json', {}], ['/1.1/account/verify_credentials.json', {}],
      ['/1.1/application/rate_limit_status.json', {}], ['/1.1/friendships/no_retweets/ids.json', {}],
    ];
    for (const [path, query] of gets) {
      const r = await raw(h, 'GET', path, { user: alice }, { query });
      assert.equal(r.status, 200, `${path} ${r.text}`);
      assert.equal(r.headers.get('content-type'), JSON_TYPE, path);
      assert.equal(r.headers.get('x-access-level'), h.app.accessLevel, path);
      for (const name of RATE_HEADERS) assert.match(r.headers.get(name) ?? '', /^\d+$/, `${path} ${name}`);
      // This harness runs with limits off, where nothing is spent (v1-rate-limits covers counting).
      assert.equal(r.headers.get('x-rate-limit-remaining'), r.headers.get('x-rate-limit-limit'), path);
    }
    // error replies of a rate-limited endpoint carry them too (§10.2)
    const missing = await raw(h, 'GET', '/1.1/users/show.json', { user: alice });
    assertV1Error(missing, 403, 38);
    for (const name of RATE_HEADERS) assert.ok(missing.headers.get(name), name);
  });

  test('POST users/lookup (a read) is rate-limited like GET, as recorded from tweepy', async () => {
    const r = await raw(h, 'POST', '/1.1/users/lookup.json', { user: alice }, { query: { screen_name: 'bob' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('x-rate-limit-limit'), '900');
  });

  test('POST writes carry no rate-limit headers (§10.2) but do carry x-access-level', async () => {
    const zed = await h.user('zed');
    const writes: [string, Record<string, string>][] = [
      ['/1.1/friendships/create.json', { user_id: idOf(zed) }], ['/1.1/friendships/update.json', { user_id: idOf(zed), retweets: 'false' }],
      ['/1.1/friendships/destroy.json', { user_id: idOf(zed) }], ['/1.1/mutes/users/create.json', { user_id: idOf(zed) }],
      ['/1.1/blocks/create.json', { user_id: idOf(zed) }], ['/1.1/blocks/destroy.json', { user_id: idOf(zed) }],
    ];
    for (const [path, form] of writes) {
      const r = await raw(h, 'POST', path, { user: bob }, { form });
      assert.equal(r.status, 200, `${path} ${r.text}`);
      assert.equal(r.headers.get('content-type'), JSON_TYPE);
      assert.equal(r.headers.get('x-access-level'), h.app.accessLevel);
      for (const name of RATE_HEADERS) assert.equal(r.headers.get(name), null, `${path} ${name}`);
    }
  });

  test('unknown paths and other formats are 404/34', async () => {
    const cases: ['GET' | 'POST', string][] = [
      ['GET', '/1.1/nope.json'], ['GET', '/1.1/users/show.xml'], ['GET', '/1.1/users/show'], ['GET', '/1.1/users/show.json/'],
      ['POST', '/1.1/nope.json'],
    ];
    for (const [method, path] of cases) {
      const r = await raw(h, method, path, { user: alice }, { query: { screen_name: 'bob' } });
      assertV1Error(r, 404, 34, 'Sorry, that page does not exist.');
    }
  });

  test('a wrong method on a known path is 400/86, naming the method the endpoint takes', async () => {
    const cases: ['GET' | 'POST', string, string][] = [
      ['GET', '/1.1/friendships/create.json', 'This method requires a POST.'],
      ['GET', '/1.1/blocks/create.json', 'This method requires a POST.'],
      ['POST', '/1.1/users/show.json', 'This method requires a GET or HEAD.'],
      ['POST', '/1.1/followers/ids.json', 'This method requires a GET or HEAD.'],
    ];
    for (const [method, path, message] of cases) {
      const r = await raw(h, method, path, { user: alice }, { query: { screen_name: 'bob' } });
      assertV1Error(r, 400, 86, message);
    }
  });

  test('mutes do not hide anyone from follower lists (§13.5)', async () => {
    await mute(alice, carol);
    assert.ok((await listIds(alice.client, 'followers/ids', {})).includes(idOf(carol)));
  });
});
