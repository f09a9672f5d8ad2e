// Bulk and relationship reads: users/lookup (§14.13), users/search (§14.14),
// friendships/lookup (§14.7, §12.2), friendships/show (§14.9, §12.1) and
// friendships/no_retweets/ids (§14.8). Expected answers are derived from each test's set-up.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TwitterApi } from 'twitter-api-v2';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';
import { bearerOf, raw, rawIdsArray, type RawAuth } from '../../support/raw.js';
import { accept, block, expectV1Error, follow, idOf, mute, users } from '../../support/reads.js';

let h: Harness;
let app: TwitterApi;
let alice: TestUser, bob: TestUser, carol: TestUser;

before(async () => {
  h = await startHarness();
  app = await h.appClient();
  alice = await h.user('alice');
  bob = await h.user('bob');
  carol = await h.user('carol');
});
after(() => h.close());

const idStrs = (list: { id_str: string }[]) => list.map((u) => u.id_str);

describe('users/lookup', () => {
  test('request order, user_id list first, duplicates (by id or any-case name) removed', async () => {
    const r = await alice.client.v1.get('users/lookup.json', {
      user_id: `${idOf(carol)},${idOf(bob)},${idOf(carol)}`, screen_name: 'BOB,alice,Alice',
    });
    assert.deepEqual(idStrs(r), [carol, bob, alice].map(idOf));
    const byName = await app.v1.get('users/lookup.json', { screen_name: 'carol, alice ,,bob' });
    assert.deepEqual(idStrs(byName), [carol, alice, bob].map(idOf));
  });

  test('unknown terms are skipped; up to 100 terms are accepted, 101 is 403/18', async () => {
    const unknown = Array.from({ length: 98 }, (_, i) => String(1000 + i));
    const hundred = await alice.client.v1.get('users/lookup.json', { user_id: [...unknown, idOf(bob)].join(','), screen_name: 'carol' });
    assert.deepEqual(idStrs(hundred), [bob, carol].map(idOf));
    await expectV1Error(
      alice.client.v1.get('users/lookup.json', { user_id: [...unknown, idOf(bob)].join(','), screen_name: 'carol,alice' }),
      403, 18, 'Too many terms specified in query.',
    );
    const names = Array.from({ length: 101 }, (_, i) => `n${i}`).join(',');
    await expectV1Error(alice.client.v1.post('users/lookup.json', { screen_name: names }), 403, 18);
  });

  test('nothing found, or no terms, is 404/17', async () => {
    for (const params of [{ screen_name: 'ghost1,ghost2' }, { user_id: '1,2,x' }, {}]) {
      await expectV1Error(alice.client.v1.get('users/lookup.json', params), 404, 17, 'No user matches for specified terms.');
    }
  });

  test('POST with the terms in the query string and an empty body (tweepy) and in a form body', async () => {
    const q = await raw(h, 'POST', '/1.1/users/lookup.json', { user: alice }, { query: { user_id: `${idOf(bob)},${idOf(carol)}` } });
    assert.equal(q.status, 200, q.text);
    assert.deepEqual(idStrs(q.json), [bob, carol].map(idOf));
    const f = await raw(h, 'POST', '/1.1/users/lookup.json', bearerOf(h), { form: { screen_name: 'carol,bob' } });
    assert.equal(f.status, 200, f.text);
    assert.deepEqual(idStrs(f.json), [carol, bob].map(idOf));
  });
});

describe('users/search', () => {
  test('relevance: exact handle, handle prefix, handle or name, description; ties by followers then id', async () => {
    const make = (name: string, extra = {}) => h.user(name, extra);
    const zed = await make('zed');
    const desc = await make('ds1', { description: 'a friend of ZED' });
    const zedka = await make('zedka');
    const byName = await make('nm1', { name: 'Zed Person' });
    const zedkb = await make('zedkb');
    const inside = await make('mid_zed');
    const zedkc = await make('zedkc');
    const prot = await make('zedprot', { protected: true });
    const gone = await make('zedgone');
    await h.server.services.graph.setState(gone.user.id, 'suspended');
    const [f1, f2] = await users(h, 'fol', 2);
    await follow(f1!, zedkb);
    await follow(f2!, zedkb);
    await follow(f1!, prot); // a request only: protected
    await accept(prot, f1!);
    // prefix group by followers: zedkb (2), zedprot (1), then zedka and zedkc (0) by id;
    // handle-or-name group: mid_zed and nm1 (0 followers) by id; description last.
    const expected = [zed, zedkb, prot, zedka, zedkc, byName, inside, desc];
    const found = await alice.client.v1.get('users/search.json', { q: 'zed' });
    assert.deepEqual(found.map((u: { screen_name: string }) => u.screen_name), expected.map((u) => u.user.screenName));
    const upper = await alice.client.v1.get('users/search.json', { q: 'ZeD' });
    assert.deepEqual(idStrs(upper), idStrs(found));
    const twoTerms = await alice.client.v1.get('users/search.json', { q: 'zed person' });
    assert.deepEqual(idStrs(twoTerms), [idOf(byName)]);
  });

  test('count is at most 20; pages are disjoint; a page past the matches is []', async () => {
    const crowd = await users(h, 'crowd', 25);
    const all = crowd.map(idOf).sort();
    assert.equal((await alice.client.v1.get('users/search.json', { q: 'crowd' })).length, 20);
    assert.equal((await alice.client.v1.get('users/search.json', { q: 'crowd', count: '50' })).length, 20);
    assert.equal((await alice.client.v1.get('users/search.json', { q: 'crowd', count: '5' })).length, 5);
    const p1 = idStrs(await alice.client.v1.get('users/search.json', { q: 'crowd', count: '20', page: '1' }));
    const p2 = idStrs(await alice.client.v1.get('users/search.json', { q: 'crowd', count: '20', page: '2' }));
    assert.equal(p2.length, 5);
    assert.deepEqual([...p1, ...p2].sort(), all);
    assert.deepEqual(await alice.client.v1.get('users/search.json', { q: 'crowd', count: '20', page: '50' }), []);
  });

  test('beyond the first 1,000 results is 400/44; missing q is 400/25; app-only is 403/220', async () => {
    await expectV1Error(alice.client.v1.get('users/search.json', { q: 'crowd', page: '51', count: '20' }), 400, 44,
      'Invalid value 51 for parameter page parameter is invalid.');
    await expectV1Error(alice.client.v1.get('users/search.json', { q: 'crowd', page: '201', count: '5' }), 400, 44,
      'Invalid value 201 for parameter page parameter is invalid.');
    for (const params of [{}, { q: '' }, { q: '   ' }]) {
      await expectV1Error(alice.client.v1.get('users/search.json', params), 400, 25, 'Query parameters are missing.');
    }
    await expectV1Error(app.v1.get('users/search.json', { q: 'crowd' }), 403, 220);
  });
});

describe('friendships/lookup', () => {
  test('connections: every value, in the documented order, "none" alone', async () => {
    const vee = await h.user('vee');
    const u = Object.fromEntries(await Promise.all(
      ['following', 'requested', 'received', 'followedby', 'blocking', 'muting', 'none', 'mutualmute', 'reqboth', 'blockmute']
        .map(async (n) => [n, await h.user(`c_${n}`, { protected: n === 'requested' || n === 'reqboth' })] as const),
    )) as Record<string, TestUser>;
    await follow(vee, u.following!);
    await follow(vee, u.requested!); // protected: a pending request
    await follow(u.followedby!, vee);
    await block(vee, u.blocking!);
    await mute(vee, u.muting!);
    await follow(vee, u.mutualmute!);
    await follow(u.mutualmute!, vee);
    await mute(vee, u.mutualmute!);
    await follow(vee, u.reqboth!);
    await mute(vee, u.blockmute!);
    await block(vee, u.blockmute!);
    await h.server.services.graph.setProtected(vee.user.id, true);
    await follow(u.received!, vee); // vee is protected now: pending
    await follow(u.reqboth!, vee);
    const expected: Record<string, string[]> = {
      following: ['following'], requested: ['following_requested'], received: ['following_received'],
      followedby: ['followed_by'], blocking: ['blocking'], muting: ['muting'], none: ['none'],
      mutualmute: ['following', 'followed_by', 'muting'], reqboth: ['following_requested', 'following_received'],
      blockmute: ['blocking', 'muting'],
    };
    const names = Object.keys(expected);
    const items = await vee.client.v1.get('friendships/lookup.json', { screen_name: names.map((n) => `c_${n}`).join(',') });
    assert.deepEqual(items.map((i: { screen_name: string }) => i.screen_name), names.map((n) => `c_${n}`));
    items.forEach((item: { connections: string[]; id_str: string; name: string }, k: number) => {
      assert.deepEqual(item.connections, expected[names[k]!], names[k]);
      assert.equal(item.id_str, idOf(u[names[k]!]!));
    });
    const self = await vee.client.v1.get('friendships/lookup.json', { user_id: idOf(vee) });
    assert.deepEqual(self[0].connections, ['none']);
  });

  test('order: user_id list first, then screen_name; unknown and suspended left out', async () => {
    const sus = await h.user('lk_sus');
    await h.server.services.graph.setState(sus.user.id, 'suspended');
    const items = await alice.client.v1.get('friendships/lookup.json', {
      user_id: `${idOf(carol)},999,${idOf(sus)}`, screen_name: 'ghost,BOB,carol',
    });
    assert.deepEqual(idStrs(items), [carol, bob].map(idOf));
  });

  test('nothing found is 404/17; 101 terms is 403/18; app-only is 403/220', async () => {
    await expectV1Error(alice.client.v1.get('friendships/lookup.json', { screen_name: 'ghost' }), 404, 17);
    await expectV1Error(alice.client.v1.get('friendships/lookup.json'), 404, 17);
    const names = Array.from({ length: 101 }, (_, i) => `n${i}`).join(',');
    await expectV1Error(alice.client.v1.get('friendships/lookup.json', { screen_name: names }), 403, 18);
    await expectV1Error(app.v1.get('friendships/lookup.json', { screen_name: 'bob' }), 403, 220);
  });
});

describe('friendships/show', () => {
  let sx: TestUser, tx: TestUser;
  before(async () => {
    sx = await h.user('sx');
    tx = await h.user('tx');
    await follow(sx, tx, { follow: 'true' }); // notifications on
    await mute(sx, tx);
    await follow(tx, sx);
  });

  test('source omitted = the caller: every member a boolean, mirrored on the target', async () => {
    const { source, target } = (await sx.client.v1.get('friendships/show.json', { target_id: idOf(tx) })).relationship;
    assert.equal(source.id_str, idOf(sx));
    assert.equal(target.id_str, idOf(tx));
    assert.deepEqual(
      [source.following, source.followed_by, source.notifications_enabled, source.muting, source.want_retweets, source.can_dm, source.blocking],
      [true, true, true, true, true, true, false],
    );
    assert.deepEqual([target.following, target.followed_by], [source.followed_by, source.following]);
    assert.equal(target.following_received, source.following_requested);
    assert.equal(target.following_requested, source.following_received);
  });

  test('a third-party source (user context or app-only): private members null, public ones booleans', async () => {
    const PRIVATE = ['following_received', 'following_requested', 'notifications_enabled', 'blocking', 'blocked_by', 'muting', 'want_retweets', 'all_replies', 'marked_spam'];
    for (const client of [alice.client, app]) {
      const { source, target } = (await client.v1.get('friendships/show.json', { source_screen_name: 'sx', target_screen_name: 'tx' })).relationship;
      for (const k of PRIVATE) assert.equal(source[k], null, k);
      assert.equal(target.following_received, null);
      assert.equal(target.following_requested, null);
      assert.deepEqual([source.following, source.followed_by, source.live_following, source.can_dm], [true, true, false, true]);
      assert.deepEqual([target.following, target.followed_by], [true, true]);
    }
  });

  test('errors: app-only without a source 403/163; unknown source 403/163; missing or unknown target 404/50; suspended 403/63', async () => {
    await expectV1Error(app.v1.get('friendships/show.json', { target_screen_name: 'tx' }), 403, 163, 'Could not determine source user.');
    await expectV1Error(alice.client.v1.get('friendships/show.json', { source_screen_name: 'ghost', target_screen_name: 'tx' }), 403, 163);
    await expectV1Error(alice.client.v1.get('friendships/show.json'), 404, 50);
    await expectV1Error(alice.client.v1.get('friendships/show.json', { target_screen_name: 'ghost' }), 404, 50);
    const gone = await h.user('fs_sus');
    await h.server.services.graph.setState(gone.user.id, 'suspended');
    await expectV1Error(alice.client.v1.get('friendships/show.json', { target_screen_name: 'fs_sus' }), 403, 63);
  });

  test('a protected end is shown only to itself and its approved followers, as its lists are (401 otherwise)', async () => {
    const prot = await h.user('fs_prot', { protected: true });
    const pal = await h.user('fs_pal');
    const fan = await h.user('fs_fan');
    const pending = await h.user('fs_pending');
    await follow(prot, pal);
    await follow(pal, prot);
    await accept(prot, pal);
    await follow(fan, prot);
    await accept(prot, fan);
    await follow(pending, prot); // a request, never accepted
    const notAuthorized = '{"request":"/1.1/friendships/show.json","error":"Not authorized."}';
    const asked = (who: RawAuth, q: Record<string, string>) => raw(h, 'GET', '/1.1/friendships/show.json', who, { query: q });
    for (const q of [{ source_id: idOf(prot), target_id: idOf(pal) }, { source_id: idOf(pal), target_id: idOf(prot) }]) {
      for (const who of [{ user: alice }, { user: pending }, bearerOf(h)] as RawAuth[]) {
        const r = await asked(who, q);
        assert.equal(r.status, 401, r.text);
        assert.equal(r.text, notAuthorized);
        const lists = await raw(h, 'GET', '/1.1/friends/ids.json', who, { query: { user_id: idOf(prot) } });
        assert.equal(lists.status, 401, 'the lists agree');
      }
      for (const who of [{ user: fan }, { user: prot }, { user: pal }] as RawAuth[]) {
        const r = await asked(who, q);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual([r.json.relationship.source.following, r.json.relationship.source.followed_by], [true, true]);
      }
    }
    // The caller's own relation with a protected account is always the caller's to see.
    const own = await pending.client.v1.get('friendships/show.json', { target_id: idOf(prot) });
    assert.equal(own.relationship.source.following_requested, true);
    const mine = await raw(h, 'GET', '/1.1/friendships/show.json', { user: pending }, { query: { source_id: idOf(prot), target_id: idOf(pending) } });
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.json.relationship.source.following_received, null, 'a third-party source\'s private half stays null');
  });
});

describe('friendships/no_retweets/ids', () => {
  test('a bare array of the followees whose retweets are off; stringify_ids; retweets=true restores', async () => {
    const nr = await h.user('nr');
    const [a, b, c] = await users(h, 'nrt', 3);
    for (const u of [a!, b!, c!]) await follow(nr, u);
    const get = (q: Record<string, string> = {}) => raw(h, 'GET', '/1.1/friendships/no_retweets/ids.json', { user: nr }, { query: q });
    assert.equal((await get()).text, '[]');
    for (const u of [a!, c!]) await nr.client.v1.post('friendships/update.json', { user_id: idOf(u), retweets: 'false' });
    await nr.client.v1.post('friendships/update.json', { user_id: idOf(b!), device: 'true' }); // retweets untouched
    const ints = await get();
    assert.ok(Array.isArray(ints.json));
    assert.deepEqual(rawIdsArray(`{"ids":${ints.text}}`).sort(), [a, c].map((u) => idOf(u!)).sort());
    const strs = await get({ stringify_ids: 'true' });
    assert.deepEqual([...strs.json].sort(), [a, c].map((u) => idOf(u!)).sort());
    await nr.client.v1.post('friendships/update.json', { user_id: idOf(a!), retweets: 'true' });
    assert.deepEqual((await get({ stringify_ids: 'true' })).json, [idOf(c!)]);
    await expectV1Error(app.v1.get('friendships/no_retweets/ids.json'), 403, 220);
  });
});
