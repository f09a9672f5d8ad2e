// Relationship flows over the wire: follow requests to protected accounts (§14.26, §13.2-13.3),
// blocks (§14.16-14.19) and mutes (§14.20-14.23), checked from every side they show on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';
import { connections, get, ids, me, namer, post, expectV1Error, relationship, showUser } from '../../support/calls.js';
import { sendSigned, signedRequest } from '../../support/sign.js';

let h: Harness;
const name = namer('f');
before(async () => { h = await startHarness(); });
after(() => h.close());

const mk = (base: string, protect = false): Promise<TestUser> => h.user(name(base), { protected: protect });
const sn = (u: TestUser): string => u.user.screenName;
const idOf = (u: TestUser): string => u.user.id.toString();
const follow = (a: TestUser, b: TestUser): Promise<any> => post(a.client, 'friendships/create', { screen_name: sn(b) });

/** A raw, hand-signed GET: the legacy error body exactly as sent (the client library rewrites it). */
const rawGet = (u: TestUser, path: string, query: [string, string][]) => sendSigned(signedRequest(
  { consumerKey: h.app.consumerKey, consumerSecret: h.app.consumerSecret, token: u.token, tokenSecret: u.secret },
  { method: 'GET', origin: h.url, path, query },
));

describe('follow requests to a protected account', () => {
  test('request, then accept: the requester becomes a follower; counts move on both sides', async () => {
    const [p, r] = [await mk('p', true), await mk('r')];
    await follow(r, p);
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), [idOf(r)]);
    assert.deepEqual(await ids(r.client, 'friendships/outgoing'), [idOf(p)]);

    const accepted = await post(p.client, 'friendships/accept', { screen_name: sn(r) });
    assert.equal(accepted.id_str, idOf(r), 'answers with the requester');
    assert.equal(accepted.friends_count, 1, "the requester's counts after the accept");
    assert.equal(accepted.following, false, "the accepter's own relation, before the accept");

    assert.deepEqual(await ids(p.client, 'followers/ids'), [idOf(r)]);
    assert.deepEqual(await ids(r.client, 'friends/ids'), [idOf(p)]);
    assert.equal((await me(p.client)).followers_count, 1);
    assert.equal((await me(r.client)).friends_count, 1);
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), []);
    assert.deepEqual(await ids(r.client, 'friendships/outgoing'), []);
    const rel = await relationship(r.client, sn(p));
    assert.equal(rel.source.following, true);
    assert.equal(rel.source.following_requested, false);
    assert.equal(rel.source.notifications_enabled, false);
    assert.equal(rel.source.want_retweets, true);
    assert.deepEqual(await connections(r.client, sn(p)), ['following']);
  });

  test('lists of a protected account: readable by itself and approved followers, 401 "Not authorized." for others', async () => {
    const [p, fan, stranger, x] = [await mk('p', true), await mk('fan'), await mk('str'), await mk('x')];
    await follow(fan, p);
    await post(p.client, 'friendships/accept', { user_id: idOf(fan) });
    await follow(p, x);
    assert.deepEqual(await ids(fan.client, 'followers/ids', { screen_name: sn(p) }), [idOf(fan)]);
    assert.deepEqual(await ids(fan.client, 'friends/ids', { screen_name: sn(p) }), [idOf(x)]);
    assert.deepEqual(await ids(p.client, 'friends/ids', { screen_name: sn(p) }), [idOf(x)]);
    const list = await get(fan.client, 'followers/list', { screen_name: sn(p) });
    assert.deepEqual(list.users.map((u: any) => u.id_str), [idOf(fan)]);

    for (const path of ['/1.1/followers/ids.json', '/1.1/friends/ids.json', '/1.1/followers/list.json', '/1.1/friends/list.json']) {
      const r = await rawGet(stranger, path, [['screen_name', sn(p)]]);
      assert.equal(r.status, 401, path);
      assert.equal(r.text, JSON.stringify({ request: path, error: 'Not authorized.' }));
    }
    // A pending request is not approval; app-only never is.
    await follow(stranger, p);
    assert.equal((await rawGet(stranger, '/1.1/followers/ids.json', [['screen_name', sn(p)]])).status, 401);
    const app = await h.appClient();
    await assert.rejects(app.v1.get('friends/ids.json', { screen_name: sn(p) }), (e: any) => e.code === 401);
    // Users/show still works for everyone (§13.3).
    assert.equal((await showUser(stranger.client, sn(p))).followers_count, 1);
  });

  test('deny drops the request without a follow; the requester may ask again', async () => {
    const [p, r] = [await mk('p', true), await mk('r')];
    await follow(r, p);
    const denied = await post(p.client, 'friendships/deny', { screen_name: sn(r) });
    assert.equal(denied.id_str, idOf(r));
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), []);
    assert.deepEqual(await ids(r.client, 'friendships/outgoing'), []);
    assert.deepEqual(await ids(p.client, 'followers/ids'), []);
    assert.equal((await me(p.client)).followers_count, 0);
    await follow(r, p);
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), [idOf(r)]);
  });

  test('cancel (by the requester) and destroy both withdraw the request', async () => {
    const [p, r1, r2] = [await mk('p', true), await mk('r'), await mk('r')];
    await follow(r1, p);
    await follow(r2, p);
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), [idOf(r2), idOf(r1)]);
    const cancelled = await post(r1.client, 'friendships/cancel', { screen_name: sn(p) });
    assert.equal(cancelled.id_str, idOf(p), 'answers with the target');
    assert.equal(cancelled.follow_request_sent, true, 'before the cancel');
    assert.deepEqual(await ids(r1.client, 'friendships/outgoing'), []);
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), [idOf(r2)]);
    await expectV1Error(post(r1.client, 'friendships/cancel', { screen_name: sn(p) }), 404, 34, 'Sorry, that page does not exist.');

    await post(r2.client, 'friendships/destroy', { screen_name: sn(p) });
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), []);
    assert.equal((await me(p.client)).followers_count, 0);
  });

  test('accept or deny with nothing pending: 404/34; unknown requester: 404/34', async () => {
    const [p, r] = [await mk('p', true), await mk('r')];
    await expectV1Error(post(p.client, 'friendships/accept', { screen_name: sn(r) }), 404, 34);
    await expectV1Error(post(p.client, 'friendships/deny', { screen_name: sn(r) }), 404, 34);
    await expectV1Error(post(p.client, 'friendships/accept', { screen_name: 'nobody_at_all' }), 404, 34);
    // The request goes r -> p, so r cannot accept it on p's behalf.
    await follow(r, p);
    await expectV1Error(post(r.client, 'friendships/accept', { screen_name: sn(p) }), 404, 34);
    assert.equal((await me(r.client)).friends_count, 0);
    const app = await h.appClient();
    await expectV1Error(post(app, 'friendships/accept', { screen_name: sn(r) }), 403, 220);
  });

  test('accept_all turns every pending request into a follow; answers {}', async () => {
    const p = await mk('p', true);
    const rs = [await mk('r'), await mk('r'), await mk('r')];
    for (const r of rs) await follow(r, p);
    assert.deepEqual(await post(p.client, 'friendships/accept_all'), {});
    assert.equal((await me(p.client)).followers_count, 3);
    assert.deepEqual(new Set(await ids(p.client, 'followers/ids')), new Set(rs.map(idOf)));
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), []);
    for (const r of rs) assert.equal((await me(r.client)).friends_count, 1);
    assert.deepEqual(await post(p.client, 'friendships/accept_all'), {}, 'nothing pending: still {}');
  });

  test('making the account public accepts everyone still waiting; turning protection on keeps followers', async () => {
    const [p, r1, r2] = [await mk('p', true), await mk('r'), await mk('r')];
    await follow(r1, p);
    await follow(r2, p);
    await h.server.services.graph.setProtected(p.user.id, false);
    assert.equal((await me(p.client)).followers_count, 2);
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), []);
    assert.deepEqual(await ids(r1.client, 'friends/ids'), [idOf(p)]);
    await h.server.services.graph.setProtected(p.user.id, true);
    assert.equal((await me(p.client)).followers_count, 2);
    assert.deepEqual(await ids(r2.client, 'followers/ids', { screen_name: sn(p) }), [idOf(r2), idOf(r1)]);
  });
});

describe('blocks', () => {
  test('a block removes follows both ways and adjusts every count', async () => {
    const [a, b, c] = [await mk('a'), await mk('b'), await mk('c')];
    await follow(a, b);
    await follow(b, a);
    await follow(c, b);
    const r = await post(a.client, 'blocks/create', { screen_name: sn(b) });
    assert.equal(r.id_str, idOf(b));
    assert.equal(r.following, true, 'before the block');
    assert.equal(r.followers_count, 1, 'after the block: only c still follows b');
    assert.equal(r.friends_count, 0);
    const self = await me(a.client);
    assert.deepEqual([self.followers_count, self.friends_count], [0, 0]);
    assert.deepEqual(await ids(a.client, 'friends/ids'), []);
    assert.deepEqual(await ids(a.client, 'followers/ids'), []);
    assert.deepEqual(await ids(b.client, 'followers/ids'), [idOf(c)]);
  });

  test('a block withdraws pending requests in both directions', async () => {
    const [p, q] = [await mk('p', true), await mk('q', true)];
    await follow(p, q);
    await follow(q, p);
    assert.deepEqual(await ids(p.client, 'friendships/incoming'), [idOf(q)]);
    const r = await post(p.client, 'blocks/create', { user_id: idOf(q) });
    assert.equal(r.follow_request_sent, true, 'before the block');
    for (const u of [p, q]) {
      assert.deepEqual(await ids(u.client, 'friendships/incoming'), []);
      assert.deepEqual(await ids(u.client, 'friendships/outgoing'), []);
    }
  });

  test('the blocked user cannot follow; lists and relationships show the block from both sides', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await post(a.client, 'blocks/create', { screen_name: sn(b) });
    await expectV1Error(follow(b, a), 403, 162);
    assert.deepEqual(await ids(a.client, 'blocks/ids'), [idOf(b)]);
    assert.deepEqual(await ids(b.client, 'blocks/ids'), []);
    const list = await get(a.client, 'blocks/list');
    assert.equal(list.users.length, 1);
    assert.equal(list.users[0].id_str, idOf(b));
    assert.equal(list.users[0].blocking, true);
    assert.equal(list.users[0].blocked_by, false);
    const fromA = await relationship(a.client, sn(b));
    assert.equal(fromA.source.blocking, true);
    assert.equal(fromA.source.blocked_by, false);
    const fromB = await relationship(b.client, sn(a));
    assert.equal(fromB.source.blocked_by, true);
    assert.equal(fromB.source.blocking, false);
    assert.equal(fromB.source.can_dm, false);
    assert.deepEqual(await connections(a.client, sn(b)), ['blocking']);
  });

  test('unblock restores nothing; unblocking twice is a 200 no-op', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await follow(a, b);
    await follow(b, a);
    await post(a.client, 'blocks/create', { screen_name: sn(b) });
    const r = await post(a.client, 'blocks/destroy', { screen_name: sn(b) });
    assert.equal(r.id_str, idOf(b));
    assert.deepEqual(await ids(a.client, 'blocks/ids'), []);
    assert.deepEqual(await ids(a.client, 'friends/ids'), []);
    assert.deepEqual(await ids(a.client, 'followers/ids'), []);
    assert.equal(r.followers_count, 0);
    assert.equal((await post(a.client, 'blocks/destroy', { screen_name: sn(b) })).id_str, idOf(b));
    assert.equal((await follow(b, a)).followers_count, 1, 'b may follow again');
  });

  test('blocking oneself is a 200 no-op; legacy id and screen_name both name the target; unknown: 404/34', async () => {
    const [a, b, c] = [await mk('a'), await mk('b'), await mk('c')];
    const self = await post(a.client, 'blocks/create', { screen_name: sn(a) });
    assert.equal(self.id_str, idOf(a));
    assert.deepEqual(await ids(a.client, 'blocks/ids'), []);
    assert.equal((await post(a.client, 'blocks/create', { id: idOf(b) })).id_str, idOf(b));
    assert.equal((await post(a.client, 'blocks/create', { id: sn(c) })).id_str, idOf(c));
    assert.deepEqual(await ids(a.client, 'blocks/ids'), [idOf(c), idOf(b)]);
    assert.equal((await post(a.client, 'blocks/destroy', { id: sn(b) })).id_str, idOf(b));
    assert.deepEqual(await ids(a.client, 'blocks/ids'), [idOf(c)]);
    await expectV1Error(post(a.client, 'blocks/create', { screen_name: 'nobody_at_all' }), 404, 34, 'Sorry, that page does not exist.');
    await expectV1Error(post(a.client, 'blocks/create'), 404, 34);
    await expectV1Error(post(a.client, 'blocks/destroy', { id: 'nobody_at_all' }), 404, 34);
  });
});

describe('mutes', () => {
  test('mute and unmute: before-state in the answers, lists, and no effect on follows', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await follow(a, b);
    await follow(b, a);
    const muted = await post(a.client, 'mutes/users/create', { screen_name: sn(b) });
    assert.equal(muted.id_str, idOf(b));
    assert.equal(muted.muting, false, 'before the mute');
    assert.equal(muted.following, true);
    assert.equal(muted.followers_count, 1);
    assert.deepEqual(await ids(a.client, 'mutes/users/ids'), [idOf(b)]);
    const list = await get(a.client, 'mutes/users/list');
    assert.deepEqual(list.users.map((u: any) => [u.id_str, u.muting]), [[idOf(b), true]]);
    assert.equal((await relationship(a.client, sn(b))).source.muting, true);
    assert.deepEqual(await connections(a.client, sn(b)), ['following', 'followed_by', 'muting']);
    assert.deepEqual(await ids(a.client, 'friends/ids'), [idOf(b)]);
    assert.deepEqual(await ids(b.client, 'mutes/users/ids'), [], 'a mute is one-way');

    assert.equal((await post(a.client, 'mutes/users/create', { id: idOf(b) })).muting, true, 'muting again: 200');
    const unmuted = await post(a.client, 'mutes/users/destroy', { screen_name: sn(b) });
    assert.equal(unmuted.muting, true, 'before the unmute');
    assert.deepEqual(await ids(a.client, 'mutes/users/ids'), []);
    assert.equal((await me(a.client)).friends_count, 1);
  });

  test('self mute 403/271; unmuting someone not muted 403/272; unknown 404/34', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await expectV1Error(post(a.client, 'mutes/users/create', { screen_name: sn(a) }), 403, 271, "You can't mute yourself.");
    await expectV1Error(post(a.client, 'mutes/users/destroy', { screen_name: sn(b) }), 403, 272, 'You are not muting the specified user.');
    await expectV1Error(post(a.client, 'mutes/users/create', { screen_name: 'nobody_at_all' }), 404, 34);
    await expectV1Error(post(a.client, 'mutes/users/destroy', { screen_name: 'nobody_at_all' }), 404, 34);
    assert.deepEqual(await ids(a.client, 'mutes/users/ids'), []);
  });

  test('a block leaves the mute in place (§13.2)', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    await post(a.client, 'mutes/users/create', { screen_name: sn(b) });
    await post(a.client, 'blocks/create', { screen_name: sn(b) });
    assert.deepEqual(await ids(a.client, 'mutes/users/ids'), [idOf(b)]);
    assert.deepEqual(await connections(a.client, sn(b)), ['blocking', 'muting']);
  });
});
