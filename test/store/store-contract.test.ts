// The Store port's contract, run on every backend (SQLite always, PostgreSQL with ROOST_TEST_PG):
// both adapters must give the same answers to the same calls.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AppRow, FollowAttrs, NewUser, Relation, Store, TokenRow, UserRow } from '../../src/store/types.js';
import { NO_RELATION } from '../../src/store/types.js';
import { backends } from './backends.js';
import { postgresOnly } from './pg-contract.js';

const FIRST = { kind: 'before', seq: Number.MAX_SAFE_INTEGER } as const;
const BIG = 2126375054688067584n; // above 2^53: BIG and BIG + 1n are one double apart from nothing

async function users(s: Store, ...list: (Partial<NewUser> & { id: bigint })[]): Promise<UserRow[]> {
  return s.transaction(async (tx) => {
    const out: UserRow[] = [];
    for (const u of list) out.push(await tx.insertUser({ screenName: `u${u.id}`, name: `User ${u.id}`, createdAt: 1000, ...u }));
    return out;
  });
}
const ids = (...n: number[]) => n.map(BigInt);
const follow = (s: Store, src: number, dst: number, attrs?: FollowAttrs) =>
  s.transaction((tx) => tx.addEdge('follow', BigInt(src), BigInt(dst), attrs));
const setState = (s: Store, id: number, state: UserRow['state']) =>
  s.transaction((tx) => tx.updateUser(BigInt(id), { state }));

for (const backend of backends()) {
  describe(`store contract: ${backend.name}`, () => {
    let s: Store;
    after(() => backend.cleanup());
    const fresh = async () => (s = await backend.fresh());

    it('inserts users and finds them by id and by screen name in any case', async () => {
      await fresh();
      const [alice] = await users(s, { id: 7n, screenName: 'Alice', name: 'Alice A', description: 'd', location: 'l',
        url: 'https://a.example', email: 'a@example.com', protected: true, verified: true, createdAt: 1700000000123 });
      assert.deepEqual(alice, { id: 7n, screenName: 'Alice', name: 'Alice A', description: 'd', location: 'l',
        url: 'https://a.example', email: 'a@example.com', protected: true, verified: true, state: 'active',
        locked: false, followersCount: 0, friendsCount: 0, createdAt: 1700000000123, theme: 'plain' });
      const [plain] = await users(s, { id: 3n, screenName: 'bob' });
      assert.deepEqual([plain!.description, plain!.location, plain!.url, plain!.email, plain!.protected], ['', '', null, null, false]);
      assert.deepEqual(await s.userById(7n), alice);
      assert.deepEqual(await s.userByScreenName('aLiCe'), alice);
      assert.equal(await s.userById(8n), undefined);
      assert.equal(await s.userByScreenName('nobody'), undefined);
      assert.equal(await s.countUsers(), 2);
      assert.deepEqual(await s.allUserIds(), [3n, 7n]);
    });

    it('looks users up in bulk by ids and by lower-cased screen names', async () => {
      await fresh();
      await users(s, { id: 1n, screenName: 'One' }, { id: 2n, screenName: 'two' });
      const byId = await s.usersByIds([2n, 1n, 99n]);
      assert.deepEqual([...byId.keys()].sort(), [1n, 2n]);
      assert.equal(byId.get(1n)!.screenName, 'One');
      const byName = await s.usersByScreenNames(['ONE', 'Two', 'three']);
      assert.deepEqual([...byName.keys()].sort(), ['one', 'two']);
      assert.equal(byName.get('two')!.id, 2n);
      assert.equal((await s.usersByIds([])).size, 0);
      assert.equal((await s.usersByScreenNames([])).size, 0);
    });

    it('round-trips ids above 2^53 exactly', async () => {
      await fresh();
      await users(s, { id: BIG, screenName: 'big' }, { id: BIG + 1n, screenName: 'bigger' });
      assert.equal((await s.userById(BIG + 1n))!.id, BIG + 1n);
      assert.equal((await s.userByScreenName('big'))!.id, BIG);
      assert.deepEqual(await s.allUserIds(), [BIG, BIG + 1n]);
      assert.deepEqual([...(await s.usersByIds([BIG + 1n])).keys()], [BIG + 1n]);
      await s.transaction((tx) => tx.addEdge('follow', BIG, BIG + 1n));
      assert.deepEqual((await s.page('follow', 'out', BIG, FIRST, 10)).items.map((i) => i.id), [BIG + 1n]);
      assert.deepEqual((await s.page('follow', 'in', BIG + 1n, FIRST, 10)).items.map((i) => i.id), [BIG]);
      assert.equal((await s.relations(BIG, [BIG + 1n])).get(BIG + 1n)?.following, true);
      assert.deepEqual(await s.transaction((tx) => tx.allEdges('follow', 'in', BIG + 1n)), [BIG]);
      await s.insertApp(app(BIG + 7n, 'k'));
      await s.insertToken(token('t', BIG + 7n, BIG + 1n, 1));
      assert.equal((await s.appByConsumerKey('k'))!.id, BIG + 7n);
      const t = (await s.tokenByValue('t'))!;
      assert.deepEqual([t.appId, t.userId], [BIG + 7n, BIG + 1n]);
    });

    it('updates users and sets counts', async () => {
      await fresh();
      await users(s, { id: 1n, url: 'https://x.example' });
      await s.transaction(async (tx) => {
        await tx.updateUser(1n, { name: 'New', url: null, protected: true, state: 'suspended', locked: true });
        await tx.updateUser(1n, {});
        await tx.setCounts(1n, 12, 34);
      });
      const u = (await s.userById(1n))!;
      assert.deepEqual([u.name, u.url, u.protected, u.state, u.locked, u.followersCount, u.friendsCount],
        ['New', null, true, 'suspended', true, 12, 34]);
    });

    it('adds and removes edges, and keeps follow attributes on the forward edge', async () => {
      await fresh();
      await users(s, ...ids(1, 2, 3, 4, 5, 9).map((id) => ({ id })));
      assert.equal(await follow(s, 1, 2), true);
      assert.equal(await follow(s, 1, 2, { notifications: true, wantRetweets: false }), false);
      await s.transaction(async (tx) => {
        assert.deepEqual(await tx.followAttrs(1n, 2n), { notifications: false, wantRetweets: true });
        assert.equal(await tx.addEdge('follow', 1n, 3n, { notifications: true, wantRetweets: false }), true);
        assert.deepEqual(await tx.followAttrs(1n, 3n), { notifications: true, wantRetweets: false });
        await tx.setFollowAttrs(1n, 2n, { notifications: true, wantRetweets: false });
        assert.deepEqual(await tx.followAttrs(1n, 2n), { notifications: true, wantRetweets: false });
        assert.equal(await tx.addEdge('block', 1n, 4n), true);
        assert.equal(await tx.followAttrs(1n, 4n), undefined);
        assert.equal(await tx.hasEdge('block', 1n, 4n), true);
        assert.equal(await tx.hasEdge('follow', 1n, 4n), false);
        assert.equal(await tx.hasEdge('block', 4n, 1n), false);
        for (const src of [5n, 3n, 4n]) await tx.addEdge('follow', src, 9n);
        for (const dst of [9n, 4n, 5n]) await tx.addEdge('follow', 1n, dst);
        assert.deepEqual(await tx.allEdges('follow', 'in', 9n), [5n, 3n, 4n, 1n]); // position order
        assert.deepEqual(await tx.allEdges('follow', 'out', 1n), [2n, 3n, 4n, 5n, 9n]); // id order
        assert.equal(await tx.removeEdge('follow', 1n, 2n), true);
        assert.equal(await tx.removeEdge('follow', 1n, 2n), false);
        assert.equal(await tx.hasEdge('follow', 1n, 2n), false);
      });
      assert.deepEqual((await s.page('follow', 'in', 2n, FIRST, 10)).items, []);
      assert.deepEqual((await s.page('follow', 'out', 1n, FIRST, 10)).items.map((i) => i.id), [5n, 4n, 9n, 3n]);
    });

    it('pages newest first through before and after windows', async () => {
      await fresh();
      await users(s, ...ids(1, 2, 3, 4, 5, 10, 11, 12).map((id) => ({ id })));
      for (const src of [1, 2, 3, 4, 5]) await follow(s, src, 10);
      const p1 = await s.page('follow', 'in', 10n, FIRST, 2);
      assert.deepEqual([p1.items.map((i) => i.id), p1.more, p1.behind], [ids(5, 4), true, false]);
      assert.ok(p1.items[0]!.seq > p1.items[1]!.seq);
      const p2 = await s.page('follow', 'in', 10n, { kind: 'before', seq: p1.items[1]!.seq }, 2);
      assert.deepEqual([p2.items.map((i) => i.id), p2.more, p2.behind], [ids(3, 2), true, true]);
      const p3 = await s.page('follow', 'in', 10n, { kind: 'before', seq: p2.items[1]!.seq }, 2);
      assert.deepEqual([p3.items.map((i) => i.id), p3.more, p3.behind], [ids(1), false, true]);
      const back = await s.page('follow', 'in', 10n, { kind: 'after', seq: p3.items[0]!.seq }, 2);
      assert.deepEqual([back.items.map((i) => i.id), back.more, back.behind], [ids(3, 2), true, true]);
      const top = await s.page('follow', 'in', 10n, { kind: 'after', seq: back.items[0]!.seq }, 5);
      assert.deepEqual([top.items.map((i) => i.id), top.more, top.behind], [ids(5, 4), false, true]);
      const past = await s.page('follow', 'in', 10n, { kind: 'before', seq: p3.items[0]!.seq }, 2);
      assert.deepEqual([past.items, past.more, past.behind], [[], false, true]);
      for (const dst of [10, 11, 12]) await follow(s, 1, dst);
      assert.deepEqual((await s.page('follow', 'out', 1n, FIRST, 10)).items.map((i) => i.id), ids(12, 11, 10));
      assert.deepEqual(await s.page('follow', 'in', 12n, FIRST, 0), { items: [], more: true, behind: false });
      assert.deepEqual(await s.page('block', 'in', 10n, FIRST, 5), { items: [], more: false, behind: false });
    });

    it('leaves suspended and deactivated users out of lists and counts, not out of relations', async () => {
      await fresh();
      await users(s, ...ids(1, 2, 3, 4).map((id) => ({ id })));
      for (const src of [2, 3, 4]) await follow(s, src, 1);
      for (const dst of [2, 3, 4]) await follow(s, 1, dst, { notifications: false, wantRetweets: false });
      assert.deepEqual(await s.countEdges(1n), { followers: 3, friends: 3 });
      await setState(s, 3, 'suspended');
      await setState(s, 4, 'deactivated');
      assert.deepEqual((await s.page('follow', 'in', 1n, FIRST, 10)).items.map((i) => i.id), ids(2));
      assert.deepEqual((await s.page('follow', 'out', 1n, FIRST, 10)).items.map((i) => i.id), ids(2));
      assert.deepEqual(await s.countEdges(1n), { followers: 1, friends: 1 });
      assert.deepEqual(await s.noRetweetIds(1n), ids(2));
      assert.deepEqual((await s.relations(1n, [3n])).get(3n), { ...NO_RELATION, following: true, followedBy: true });
      assert.deepEqual(await s.searchUsers(['u'], 10).then((r) => r.map((u) => u.id)), ids(1, 2));
    });

    it('reports every relation bit between a viewer and others', async () => {
      await fresh();
      await users(s, ...ids(1, 2, 3, 4, 5, 6, 7, 8).map((id) => ({ id })));
      await s.transaction(async (tx) => {
        await tx.addEdge('follow', 1n, 2n, { notifications: true, wantRetweets: false });
        await tx.addEdge('follow', 2n, 1n);
        await tx.addEdge('request', 1n, 3n);
        await tx.addEdge('request', 4n, 1n);
        await tx.addEdge('block', 1n, 5n);
        await tx.addEdge('block', 6n, 1n);
        await tx.addEdge('mute', 1n, 7n);
        await tx.addEdge('mute', 8n, 1n); // being muted is never shown
      });
      const rel = (r: Partial<Relation>): Relation => ({ ...NO_RELATION, ...r });
      assert.deepEqual(await s.relations(1n, ids(2, 3, 4, 5, 6, 7, 8, 99)), new Map([
        [2n, rel({ following: true, followedBy: true, notifications: true, wantRetweets: false })],
        [3n, rel({ requestSent: true })],
        [4n, rel({ requestReceived: true })],
        [5n, rel({ blocking: true })],
        [6n, rel({ blockedBy: true })],
        [7n, rel({ muting: true })],
      ]));
      assert.equal((await s.relations(1n, [])).size, 0);
    });

    it('lists followees with retweets off, newest first', async () => {
      await fresh();
      await users(s, ...ids(1, 2, 3, 4).map((id) => ({ id })));
      await follow(s, 1, 2, { notifications: false, wantRetweets: false });
      await follow(s, 1, 3);
      await follow(s, 1, 4, { notifications: true, wantRetweets: false });
      assert.deepEqual(await s.noRetweetIds(1n), ids(4, 2));
      assert.deepEqual(await s.noRetweetIds(2n), []);
    });

    it('adjusts a user’s counts and its neighbours’ counts', async () => {
      await fresh();
      await users(s, ...ids(1, 2, 3, 4, 5).map((id) => ({ id })));
      for (const [a, b] of [[1, 2], [1, 3], [4, 1]] as const) await follow(s, a, b);
      await s.transaction(async (tx) => {
        await tx.adjustCounts(1n, 2, 3);
        await tx.adjustCounts(1n, -1, 0);
        await tx.adjustNeighbourCounts(1n, -1);
      });
      const counts = async (id: bigint) => { const u = (await s.userById(id))!; return [u.followersCount, u.friendsCount]; };
      assert.deepEqual(await Promise.all(ids(1, 2, 3, 4, 5).map(counts)), [[1, 3], [-1, 0], [-1, 0], [0, -1], [0, 0]]);
      assert.deepEqual(await s.countEdges(1n), { followers: 1, friends: 2 });
      assert.deepEqual(await s.countEdges(5n), { followers: 0, friends: 0 });
    });

    it('ranks search hits: exact handle, prefix, name, description; then followers, then id', async () => {
      await fresh();
      await users(s,
        { id: 1n, screenName: 'yy', name: 'Y', description: 'I like BOB' },
        { id: 2n, screenName: 'zed', name: 'Bob Zed' },
        { id: 3n, screenName: 'bobcat' },
        { id: 4n, screenName: 'Bob', name: 'Robert' },
        { id: 5n, screenName: 'bobby' },
        { id: 6n, screenName: 'abobx' },
        { id: 7n, screenName: 'bobgone' },
        { id: 8n, screenName: 'xx', name: 'nothing' });
      await s.transaction(async (tx) => {
        await tx.setCounts(3n, 5, 0);
        await tx.setCounts(5n, 9, 0);
        await tx.updateUser(7n, { state: 'suspended' });
      });
      const search = async (terms: string[], cap = 20) => (await s.searchUsers(terms, cap)).map((u) => u.id);
      assert.deepEqual(await search(['bob']), ids(4, 5, 3, 2, 6, 1));
      assert.deepEqual(await search(['BoB']), ids(4, 5, 3, 2, 6, 1));
      assert.deepEqual(await search(['bob'], 2), ids(4, 5));
      assert.deepEqual(await search(['bob', 'zed']), ids(2));
      assert.deepEqual(await search(['like', 'yy']), ids(1));
      assert.deepEqual(await search(['nobody']), []);
    });

    it('stores apps and tokens; a revoked token is gone', async () => {
      await fresh();
      await users(s, { id: 1n });
      await s.insertApp({ ...app(7n, 'k7'), callbackUrls: ['https://cb.example/a', 'x://b'] });
      await s.insertApp(app(3n, 'k3'));
      assert.deepEqual((await s.listApps()).map((a) => a.id), [3n, 7n]);
      const a7 = (await s.appByConsumerKey('k7'))!;
      assert.deepEqual(a7, { ...app(7n, 'k7'), callbackUrls: ['https://cb.example/a', 'x://b'] });
      assert.deepEqual(await s.appByBearer('bearer-k7'), a7);
      assert.deepEqual(await s.appByClientId('client-k7'), a7);
      assert.equal(await s.appByConsumerKey('nope'), undefined);
      await s.setBearer(7n, 'fresh');
      assert.equal(await s.appByBearer('bearer-k7'), undefined);
      assert.equal((await s.appByBearer('fresh'))!.id, 7n);
      await s.setBearer(7n, null);
      assert.equal((await s.appByConsumerKey('k7'))!.bearerToken, null);

      await s.insertToken(token('late', 7n, 1n, 10));
      await s.insertToken(token('early', 7n, 1n, 5));
      assert.deepEqual(await s.tokenByValue('late'), token('late', 7n, 1n, 10));
      assert.equal((await s.tokenFor(7n, 1n, 'read-write'))!.token, 'early');
      assert.equal(await s.tokenFor(7n, 1n, 'read'), undefined);
      assert.equal(await s.revokeToken('early'), true);
      assert.equal(await s.revokeToken('early'), false);
      assert.equal(await s.revokeToken('never'), false);
      assert.equal(await s.tokenByValue('early'), undefined);
      assert.equal((await s.tokenFor(7n, 1n, 'read-write'))!.token, 'late');

      // The one-read form of a signed request's lookups, where the adapter has it: the same rows.
      if (s.oauthCaller) {
        const both = await s.oauthCaller('k7', 'late');
        assert.deepEqual(both.app, await s.appByConsumerKey('k7'));
        assert.deepEqual(both.token, await s.tokenByValue('late'));
        assert.deepEqual(both.user, await s.userById(1n));
        assert.ok(both.user, 'the token names user 1');
        const otherApp = await s.oauthCaller('k3', 'late');
        assert.equal(otherApp.app!.id, 3n);
        assert.equal(otherApp.token!.appId, 7n, 'the token is found whatever app signed');
        assert.deepEqual(await s.oauthCaller('nope', 'early'), { app: undefined, token: undefined, user: undefined });
        assert.deepEqual(await s.oauthCaller('k\u00007', 'la\u0000te'), { app: undefined, token: undefined, user: undefined });
      }
    });

    it('rolls a throwing transaction back entirely and commits a returning one', async () => {
      await fresh();
      await users(s, { id: 1n, screenName: 'one' }, { id: 2n });
      const boom = new Error('boom');
      await assert.rejects(s.transaction(async (tx) => {
        await tx.insertUser({ id: 50n, screenName: 'fifty', name: 'F', createdAt: 1 });
        assert.equal((await tx.user(50n))!.screenName, 'fifty'); // sees its own writes
        assert.equal(await tx.addEdge('follow', 1n, 2n), true);
        assert.equal(await tx.hasEdge('follow', 1n, 2n), true);
        await tx.adjustCounts(1n, 0, 1);
        await tx.updateUser(1n, { name: 'changed' });
        throw boom;
      }), (err) => err === boom);
      assert.equal(await s.userById(50n), undefined);
      assert.equal((await s.relations(1n, [2n])).size, 0);
      const one = (await s.userById(1n))!;
      assert.deepEqual([one.name, one.friendsCount], ['User 1', 0]);
      // A statement that fails (a taken screen name) rolls back what came before it too.
      await assert.rejects(s.transaction(async (tx) => {
        await tx.addEdge('follow', 1n, 2n);
        await tx.insertUser({ id: 51n, screenName: 'ONE', name: 'dup', createdAt: 1 });
      }));
      assert.equal((await s.relations(1n, [2n])).size, 0);
      assert.equal(await s.transaction(async (tx) => tx.addEdge('follow', 1n, 2n)), true);
      assert.equal((await s.relations(1n, [2n])).get(2n)?.following, true);
    });

    it('keeps OAuth 2.0 tokens by hash, app settings and password hashes', async () => {
      const s = await fresh();
      await s.insertApp(app(7n, 'k7'));
      await s.transaction((tx) => tx.insertUser({ id: 2126375054688067584n, screenName: 'pw', name: 'pw', createdAt: 1 }));
      const row = { tokenHash: 'h1', kind: 'access' as const, appId: 7n, userId: 2126375054688067584n, scopes: ['users.read', 'tweet.read'], expiresAt: 99, createdAt: 5 };
      await s.insertOAuth2Token(row);
      await s.insertOAuth2Token({ ...row, tokenHash: 'h2', kind: 'refresh', expiresAt: null });
      assert.deepEqual(await s.oauth2Token('h1'), { ...row, family: 'h1' }, 'a token inserted without a family is its own');
      assert.equal((await s.oauth2Token('h2'))?.expiresAt, null);
      assert.equal(await s.revokeOAuth2Token('h1'), true);
      assert.equal(await s.revokeOAuth2Token('h1'), false);
      assert.equal(await s.oauth2Token('h1'), undefined);
      assert.ok(await s.oauth2Token('h2'), 'revoking one token leaves the others');

      await s.updateApp(7n, { callbackUrls: ['https://a.example/cb'], clientType: 'public' });
      const updated = await s.appByConsumerKey('k7');
      assert.deepEqual(updated?.callbackUrls, ['https://a.example/cb']);
      assert.equal(updated?.clientType, 'public');

      assert.equal(await s.passwordHash(2126375054688067584n), null);
      await s.setPasswordHash(2126375054688067584n, 'scrypt$abc');
      assert.equal(await s.passwordHash(2126375054688067584n), 'scrypt$abc');
    });

    if (backend.name === 'postgres') postgresOnly(fresh);
  });
}

function app(id: bigint, key: string): AppRow {
  return { id, name: `app ${key}`, consumerKey: key, consumerSecret: `secret-${key}`, bearerToken: `bearer-${key}`,
    clientId: `client-${key}`, clientSecret: `csecret-${key}`, accessLevel: 'read-write', callbackUrls: [], clientType: 'confidential', createdAt: 42 };
}

function token(value: string, appId: bigint, userId: bigint, createdAt: number): TokenRow {
  return { token: value, secret: `s-${value}`, appId, userId, accessLevel: 'read-write', createdAt };
}
