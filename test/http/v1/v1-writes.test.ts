// The v1.1 follow writes over the wire (§14.10-14.12, rules of §13): friendships/create,
// destroy and update, their refusals, and the caller checks every write passes (§6.4, §7.6).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createToken } from '../../../src/admin/accounts.js';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';
import { connections, ids, me, namer, post, expectV1Error, relationship, showUser } from '../../support/calls.js';
import { sendSigned, signedRequest } from '../../support/sign.js';

let h: Harness;
const name = namer('w');
before(async () => { h = await startHarness(); });
after(() => h.close());

const mk = (base: string, protect = false): Promise<TestUser> => h.user(name(base), { protected: protect });
const sn = (u: TestUser): string => u.user.screenName;
const idOf = (u: TestUser): string => u.user.id.toString();

describe('POST friendships/create', () => {
  test('public target: edge, counts after the write, perspectival fields from before it', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    const r = await post(a.client, 'friendships/create', { screen_name: sn(b) });
    assert.equal(r.id_str, idOf(b));
    assert.equal(r.followers_count, 1, 'target counts are rendered after the write');
    assert.equal(r.following, false, 'perspectival fields describe the state before the write (§14.10)');
    assert.equal(r.follow_request_sent, false);
    assert.equal(r.notifications, false);
    assert.equal(r.muting, false);
    assert.equal((await me(a.client)).friends_count, 1);
    assert.deepEqual(await ids(a.client, 'friends/ids'), [idOf(b)]);
    assert.deepEqual(await ids(b.client, 'followers/ids'), [idOf(a)]);
    assert.equal((await showUser(a.client, sn(b))).following, true);
    assert.deepEqual(await connections(b.client, sn(a)), ['followed_by']);
  });

  test('user_id names the target and wins over screen_name (§3.4)', async () => {
    const [a, b, c] = [await mk('a'), await mk('b'), await mk('c')];
    const r = await post(a.client, 'friendships/create', { user_id: idOf(b), screen_name: sn(c) });
    assert.equal(r.id_str, idOf(b));
    assert.deepEqual(await ids(a.client, 'friends/ids'), [idOf(b)]);
  });

  test('follow=true turns notifications on, for a new follow and for an existing one', async () => {
    const [a, b, c] = [await mk('a'), await mk('b'), await mk('c')];
    const r = await post(a.client, 'friendships/create', { screen_name: sn(b), follow: true });
    assert.equal(r.notifications, false, 'before the write');
    assert.equal((await relationship(a.client, sn(b))).source.notifications_enabled, true);
    assert.equal((await showUser(a.client, sn(b))).notifications, true);

    await post(a.client, 'friendships/create', { screen_name: sn(c) });
    assert.equal((await relationship(a.client, sn(c))).source.notifications_enabled, false);
    const again = await post(a.client, 'friendships/create', { screen_name: sn(c), follow: 'True' });
    assert.equal(again.followers_count, 1, 'no second edge');
    assert.equal((await relationship(a.client, sn(c))).source.notifications_enabled, true);
  });

  test('repeating a follow is 200 and changes no count', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await post(a.client, 'friendships/create', { screen_name: sn(b) });
    const r = await post(a.client, 'friendships/create', { screen_name: sn(b) });
    assert.equal(r.followers_count, 1);
    assert.equal(r.following, true);
    assert.equal((await me(a.client)).friends_count, 1);
  });

  test('self, unknown, missing, deactivated and suspended targets', async () => {
    const [a, s, d] = [await mk('a'), await mk('s'), await mk('d')];
    await expectV1Error(post(a.client, 'friendships/create', { screen_name: sn(a) }), 403, 158, "You can't follow yourself.");
    await expectV1Error(post(a.client, 'friendships/create', { user_id: idOf(a) }), 403, 158);
    await expectV1Error(post(a.client, 'friendships/create', { screen_name: 'nobody_at_all' }), 403, 108, 'Cannot find specified user.');
    await expectV1Error(post(a.client, 'friendships/create', { user_id: '12345' }), 403, 108, 'Cannot find specified user.');
    await expectV1Error(post(a.client, 'friendships/create'), 403, 108, 'Cannot find specified user.');
    await h.server.services.graph.setState(d.user.id, 'deactivated');
    await expectV1Error(post(a.client, 'friendships/create', { screen_name: sn(d) }), 403, 108);
    await h.server.services.graph.setState(s.user.id, 'suspended');
    await expectV1Error(post(a.client, 'friendships/create', { screen_name: sn(s) }), 403, 63, 'User has been suspended.');
    assert.equal((await me(a.client)).friends_count, 0);
  });

  test('a target who blocks the caller refuses the follow (162); nothing changes', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await post(b.client, 'blocks/create', { screen_name: sn(a) });
    await expectV1Error(post(a.client, 'friendships/create', { screen_name: sn(b) }), 403, 162,
      'You have been blocked from following this account at the request of the user.');
    assert.equal((await me(a.client)).friends_count, 0);
    assert.equal((await showUser(a.client, sn(b))).followers_count, 0);
    assert.deepEqual(await ids(b.client, 'blocks/ids'), [idOf(a)]);
  });

  test('following a user the caller blocks lifts the block, then follows', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await post(a.client, 'blocks/create', { screen_name: sn(b) });
    const r = await post(a.client, 'friendships/create', { screen_name: sn(b) });
    assert.equal(r.followers_count, 1);
    assert.deepEqual(await ids(a.client, 'blocks/ids'), []);
    const rel = await relationship(a.client, sn(b));
    assert.equal(rel.source.blocking, false);
    assert.equal(rel.source.following, true);
  });

  test('protected target: a pending request, visible from both sides; a second request is 160', async () => {
    const [a, p] = [await mk('a'), await mk('p', true)];
    const r = await post(a.client, 'friendships/create', { screen_name: sn(p) });
    assert.equal(r.id_str, idOf(p));
    assert.equal(r.following, false);
    assert.equal(r.follow_request_sent, false, 'before the write');
    assert.equal(r.followers_count, 0, 'a request is not a follower');
    const shown = await showUser(a.client, sn(p));
    assert.equal(shown.follow_request_sent, true);
    assert.equal(shown.following, false);
    assert.deepEqual(await connections(a.client, sn(p)), ['following_requested']);
    assert.deepEqual(await connections(p.client, sn(a)), ['following_received']);
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), [idOf(a)]);
    assert.deepEqual(await ids(a.client, 'friendships/outgoing'), [idOf(p)]);
    assert.equal((await me(a.client)).friends_count, 0);
    await expectV1Error(post(a.client, 'friendships/create', { screen_name: sn(p) }), 403, 160,
      `You've already requested to follow ${sn(p)}.`);
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), [idOf(a)]);
  });

  test('app-only bearer: 403/220', async () => {
    const b = await mk('b');
    const app = await h.appClient();
    await expectV1Error(post(app, 'friendships/create', { screen_name: sn(b) }), 403, 220,
      'Your credentials do not allow access to this resource');
    assert.equal((await showUser(b.client, sn(b))).followers_count, 0);
  });

  test('read-only token: 401 in the legacy format, reads still allowed', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    const s = h.server.services;
    const t = await createToken(s.store, s.clock, h.app, a.user, 'read');
    const creds = { consumerKey: h.app.consumerKey, consumerSecret: h.app.consumerSecret, token: t.token, tokenSecret: t.secret };
    // Raw requests: twitter-api-v2 adds an `errors` member of its own to legacy bodies.
    for (const path of ['/1.1/friendships/create.json', '/1.1/blocks/create.json']) {
      const r = await sendSigned(signedRequest(creds, { method: 'POST', origin: h.url, path, form: [['screen_name', sn(b)]] }));
      assert.equal(r.status, 401);
      assert.equal(r.text, JSON.stringify({ request: path, error: 'Read-only application cannot POST.' }));
    }
    const ro = h.rawClient({ appKey: h.app.consumerKey, appSecret: h.app.consumerSecret, accessToken: t.token, accessSecret: t.secret });
    const self = await ro.v1.get('account/verify_credentials.json', {}, { fullResponse: true });
    assert.equal(self.headers['x-access-level'], 'read');
    assert.equal(self.data.friends_count, 0);
    assert.equal((await showUser(b.client, sn(b))).followers_count, 0);
  });

  test('suspended caller: 403/64 on writes and reads; verify_credentials still answers', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await h.server.services.graph.setState(a.user.id, 'suspended');
    await expectV1Error(post(a.client, 'friendships/create', { screen_name: sn(b) }), 403, 64,
      'Your account is suspended and is not permitted to access this feature.');
    await expectV1Error(showUser(a.client, sn(b)), 403, 64);
    assert.equal((await me(a.client)).suspended, true);
  });

  test('locked caller: 403/326 on writes; reads still work', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await h.server.services.store.transaction((tx) => tx.updateUser(a.user.id, { locked: true }));
    for (const endpoint of ['friendships/create', 'friendships/destroy', 'blocks/create', 'mutes/users/create']) {
      await expectV1Error(post(a.client, endpoint, { screen_name: sn(b) }), 403, 326,
        'To protect our users from spam and other malicious activity, this account is temporarily locked. Please log in to https://twitter.com to unlock your account.');
    }
    assert.equal((await showUser(a.client, sn(b))).followers_count, 0);
  });
});

describe('follow limits (§13.6)', () => {
  test('followsPerDay: the 4th new follow or request of the day is 161; repeats cost nothing', async () => {
    const lh = await startHarness({ follow: { followsPerDay: 3, followsPerAppPerDay: null, followingCap: null, followingRatio: 1.1 } });
    try {
      const a = await lh.user('a');
      for (const n of ['b', 'c']) await lh.user(n);
      await lh.user('p', { protected: true });
      const d = await lh.user('d');
      await post(a.client, 'friendships/create', { screen_name: 'b' });
      await post(a.client, 'friendships/create', { screen_name: 'c' });
      await post(a.client, 'friendships/create', { screen_name: 'p' }); // a request counts too
      await expectV1Error(post(a.client, 'friendships/create', { screen_name: 'd' }), 403, 161,
        'You are unable to follow more people at this time.');
      const again = await post(a.client, 'friendships/create', { screen_name: 'b' });
      assert.equal(again.followers_count, 1, 'an existing follow is unchanged, not refused');
      assert.equal((await me(a.client)).friends_count, 2);
      assert.equal((await showUser(a.client, 'd')).followers_count, 0);
      assert.equal((await post(d.client, 'friendships/create', { screen_name: 'a' })).followers_count, 1, 'the limit is per user');
    } finally {
      await lh.close();
    }
  });

  test('followingCap and ratio: past the cap, follows only while friends < followers x ratio', async () => {
    const lh = await startHarness({ follow: { followsPerDay: null, followsPerAppPerDay: null, followingCap: 2, followingRatio: 1.5 } });
    try {
      const a = await lh.user('a');
      for (const n of ['t1', 't2', 't3', 't4']) await lh.user(n);
      const fans = [await lh.user('f1'), await lh.user('f2')];
      await post(a.client, 'friendships/create', { screen_name: 't1' });
      await post(a.client, 'friendships/create', { screen_name: 't2' });
      // friends 2 >= cap 2, followers 0: 2 < 0 x 1.5 is false.
      await expectV1Error(post(a.client, 'friendships/create', { screen_name: 't3' }), 403, 161);
      for (const f of fans) await post(f.client, 'friendships/create', { screen_name: 'a' });
      // followers 2: allowed while friends < 3.
      await post(a.client, 'friendships/create', { screen_name: 't3' });
      await expectV1Error(post(a.client, 'friendships/create', { screen_name: 't4' }), 403, 161);
      const self = await me(a.client);
      assert.equal(self.friends_count, 3);
      assert.equal(self.followers_count, 2);
      // Unfollowing brings the caller back under the ratio.
      await post(a.client, 'friendships/destroy', { screen_name: 't1' });
      await post(a.client, 'friendships/create', { screen_name: 't4' });
      assert.equal((await me(a.client)).friends_count, 3);
    } finally {
      await lh.close();
    }
  });
});

describe('POST friendships/destroy', () => {
  test('unfollow: following true (before), counts decrease', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await post(a.client, 'friendships/create', { screen_name: sn(b) });
    const r = await post(a.client, 'friendships/destroy', { screen_name: sn(b) });
    assert.equal(r.id_str, idOf(b));
    assert.equal(r.following, true, 'before the write');
    assert.equal(r.followers_count, 0, 'after the write');
    assert.equal((await me(a.client)).friends_count, 0);
    assert.deepEqual(await ids(b.client, 'followers/ids'), []);
    assert.deepEqual(await ids(a.client, 'friends/ids'), []);
  });

  test('not following (or self) is 200 and changes nothing', async () => {
    const [a, b, c] = [await mk('a'), await mk('b'), await mk('c')];
    await post(c.client, 'friendships/create', { screen_name: sn(b) });
    const r = await post(a.client, 'friendships/destroy', { screen_name: sn(b) });
    assert.equal(r.following, false);
    assert.equal(r.followers_count, 1, "c's follow is untouched");
    const self = await post(a.client, 'friendships/destroy', { screen_name: sn(a) });
    assert.equal(self.id_str, idOf(a));
  });

  test('unknown or missing target: 404/34; suspended: 403/63', async () => {
    const [a, s] = [await mk('a'), await mk('s')];
    await expectV1Error(post(a.client, 'friendships/destroy', { screen_name: 'nobody_at_all' }), 404, 34, 'Sorry, that page does not exist.');
    await expectV1Error(post(a.client, 'friendships/destroy'), 404, 34);
    await h.server.services.graph.setState(s.user.id, 'suspended');
    await expectV1Error(post(a.client, 'friendships/destroy', { screen_name: sn(s) }), 403, 63);
  });

  test('withdraws a pending request', async () => {
    const [a, p] = [await mk('a'), await mk('p', true)];
    await post(a.client, 'friendships/create', { screen_name: sn(p) });
    const r = await post(a.client, 'friendships/destroy', { screen_name: sn(p) });
    assert.equal(r.follow_request_sent, true, 'before the write');
    assert.deepEqual(await ids(a.client, 'friendships/outgoing'), []);
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), []);
    assert.equal((await showUser(a.client, sn(p))).follow_request_sent, false);
  });

  test('legacy id parameter (Net::Twitter): a user id or a screen name', async () => {
    const [a, b, c] = [await mk('a'), await mk('b'), await mk('c')];
    await post(a.client, 'friendships/create', { screen_name: sn(b) });
    await post(a.client, 'friendships/create', { screen_name: sn(c) });
    assert.equal((await post(a.client, 'friendships/destroy', { id: idOf(b) })).id_str, idOf(b));
    assert.equal((await post(a.client, 'friendships/destroy', { id: sn(c) })).id_str, idOf(c));
    assert.equal((await me(a.client)).friends_count, 0);
  });
});

describe('POST friendships/update', () => {
  test('device and retweets change the edge; the answer is the relationship after the change', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await post(a.client, 'friendships/create', { screen_name: sn(b) });
    const on = (await post(a.client, 'friendships/update', { screen_name: sn(b), device: true })).relationship;
    assert.equal(on.source.id_str, idOf(a));
    assert.equal(on.target.id_str, idOf(b));
    assert.equal(on.source.following, true);
    assert.equal(on.source.notifications_enabled, true);
    assert.equal(on.source.want_retweets, true);
    assert.equal(on.target.followed_by, true);

    const off = (await post(a.client, 'friendships/update', { screen_name: sn(b), retweets: false })).relationship;
    assert.equal(off.source.want_retweets, false);
    assert.equal(off.source.notifications_enabled, true, 'an absent flag leaves its value');
    assert.deepEqual(await a.client.v1.get('friendships/no_retweets/ids.json', { stringify_ids: true }), [idOf(b)]);
    assert.equal((await relationship(a.client, sn(b))).source.want_retweets, false);

    await post(a.client, 'friendships/update', { screen_name: sn(b), retweets: true });
    assert.deepEqual(await a.client.v1.get('friendships/no_retweets/ids.json', { stringify_ids: true }), []);
  });

  test('Python-style True/False are understood', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await post(a.client, 'friendships/create', { screen_name: sn(b) });
    const r = (await post(a.client, 'friendships/update', { screen_name: sn(b), device: 'True', retweets: 'False' })).relationship;
    assert.equal(r.source.notifications_enabled, true);
    assert.equal(r.source.want_retweets, false);
    const back = (await post(a.client, 'friendships/update', { screen_name: sn(b), device: 'False', retweets: 'True' })).relationship;
    assert.equal(back.source.notifications_enabled, false);
    assert.equal(back.source.want_retweets, true);
  });

  test('not following: 200, nothing changes; unknown target: 404/34', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    const r = (await post(a.client, 'friendships/update', { screen_name: sn(b), device: true, retweets: false })).relationship;
    assert.equal(r.source.following, false);
    assert.equal(r.source.notifications_enabled, false);
    assert.deepEqual(await a.client.v1.get('friendships/no_retweets/ids.json', { stringify_ids: true }), []);
    await post(a.client, 'friendships/create', { screen_name: sn(b) });
    const rel = await relationship(a.client, sn(b));
    assert.equal(rel.source.notifications_enabled, false, 'the earlier update left nothing behind');
    assert.equal(rel.source.want_retweets, true);
    await expectV1Error(post(a.client, 'friendships/update', { screen_name: 'nobody_at_all', device: true }), 404, 34);
  });
});
