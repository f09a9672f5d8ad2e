// The SQLite read cache is never stale: graph writes, profile and state changes, token and app
// changes and writes by another connection, interleaved with reads, and every read through the
// cached store equals the same read, made at the same instant, through an uncached one.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Graph } from '../../src/graph/graph.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import { prng } from '../support/prng.js';
import { NO_FOLLOW_LIMITS, NO_QUOTA } from '../support/unlimited.js';

const FIRST = { kind: 'before' as const, seq: Number.MAX_SAFE_INTEGER };

const dir = mkdtempSync(join(tmpdir(), 'roost-read-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every cached read, started in one synchronous run on both stores so no commit falls between. */
function reads(s: Store, ids: bigint[], names: string[], rnd: () => number): Promise<unknown>[] {
  const some = ids.filter(() => rnd() < 0.5);
  const id = ids[Math.floor(rnd() * ids.length)]!;
  const name = names[Math.floor(rnd() * names.length)]!;
  const limit = 1 + Math.floor(rnd() * 4);
  return [
    s.userById(id), s.userByScreenName(name.toUpperCase()), s.usersByIds(some), s.usersByScreenNames(names.filter(() => rnd() < 0.5)),
    s.pageJson!('follow', 'in', id, FIRST, limit), s.pageJson!('follow', 'out', id, FIRST, limit), s.pageJson!('block', 'out', id, FIRST, 5),
    s.page('follow', 'in', id, FIRST, limit), s.page('request', 'in', id, FIRST, 3), s.page('follow', 'out', id, { kind: 'after', seq: 2 }, limit),
    s.tokenByValue('tok-1'), s.tokenByValue('tok-2'), s.appByConsumerKey('ck'), s.appByBearer('bearer'), s.appByClientId('cid'), s.appById(7n),
    s.oauth2Token('hash-1'), s.relations(id, ids), s.relations(ids[0]!, some),
  ].map((p) => p as Promise<unknown>);
}

describe('the SQLite read cache', () => {
  it('answers every read as an uncached read would, whatever the writes between', async () => {
    const path = join(dir, 'interleaved.db');
    const cached = new SqliteStore(path);
    const plain = new SqliteStore(path, { readCache: false });
    const other = new Database(path); // another connection, as another process would hold
    const ids = Array.from({ length: 8 }, (_, i) => BigInt(i + 1) + 2n ** 62n);
    const names = ids.map((_, i) => `u${i}`);
    await cached.transaction(async (tx) => {
      for (const [i, id] of ids.entries()) await tx.insertUser({ id, screenName: names[i]!, name: `U ${i}`, createdAt: 1 });
    });
    await cached.insertApp({
      id: 7n, name: 'app', consumerKey: 'ck', consumerSecret: 's', bearerToken: 'bearer', clientId: 'cid', clientSecret: 'cs',
      accessLevel: 'read-write', callbackUrls: ['https://a.example/cb'], clientType: 'confidential', createdAt: 1,
    });
    for (const token of ['tok-1', 'tok-2']) await cached.insertToken({ token, secret: 's', appId: 7n, userId: ids[0]!, accessLevel: 'read-write', createdAt: 1 });
    await cached.insertOAuth2Token({ tokenHash: 'hash-1', kind: 'access', appId: 7n, userId: ids[1]!, scopes: ['users.read'], expiresAt: null, createdAt: 1 });

    const graph = new Graph(cached, NO_FOLLOW_LIMITS, NO_QUOTA);
    const seed = Number(process.env.ROOST_TEST_SEED ?? Date.now() % 100000);
    const rnd = prng(seed);
    const pick = () => ids[Math.floor(rnd() * ids.length)]!;
    const writes: (() => Promise<unknown>)[] = [
      () => graph.follow({ userId: pick(), appId: null }, pick(), { notify: false }),
      () => graph.follow({ userId: pick(), appId: null }, pick(), { notify: false }),
      () => graph.unfollow({ userId: pick(), appId: null }, pick()),
      () => graph.block({ userId: pick(), appId: null }, pick()),
      () => graph.unblock({ userId: pick(), appId: null }, pick()),
      () => graph.mute({ userId: pick(), appId: null }, pick()),
      () => graph.updateFollow({ userId: pick(), appId: null }, pick(), { device: rnd() < 0.5, retweets: rnd() < 0.5 }),
      () => graph.accept({ userId: pick(), appId: null }, pick()),
      () => graph.setProtected(pick(), rnd() < 0.5),
      () => graph.setState(pick(), (['active', 'active', 'suspended', 'deactivated'] as const)[Math.floor(rnd() * 4)]!),
      () => cached.transaction((tx) => tx.updateUser(pick(), { name: `N ${Math.floor(rnd() * 1000)}`, verified: rnd() < 0.5 })),
      () => cached.revokeToken(rnd() < 0.5 ? 'tok-1' : 'tok-2'),
      () => cached.revokeOAuth2Token('hash-1'),
      () => cached.updateApp(7n, { callbackUrls: [`https://a.example/${Math.floor(rnd() * 100)}`] }),
      () => cached.setBearer(7n, rnd() < 0.5 ? null : 'bearer'),
      async () => { other.prepare('UPDATE users SET name = ?, followers_count = followers_count + 1 WHERE id = ?').run(`O ${rnd()}`, pick()); },
      async () => { other.prepare("UPDATE tokens SET revoked = 1 - revoked WHERE token = 'tok-2'").run(); },
      async () => { other.prepare('UPDATE apps SET bearer_token = ? WHERE id = 7').run(rnd() < 0.5 ? null : 'bearer'); },
      async () => { other.prepare('UPDATE edges_fwd SET notify = 1 - notify WHERE kind = 0').run(); },
    ];
    let compared = 0;
    const pending: Promise<unknown>[] = [];
    for (let step = 0; step < 1500; step++) {
      if (rnd() < 0.4) pending.push(writes[Math.floor(rnd() * writes.length)]!().catch(() => undefined));
      const a = reads(cached, ids, names, prng(step + seed));
      const b = reads(plain, ids, names, prng(step + seed));
      assert.deepEqual(await Promise.all(a), await Promise.all(b), `seed ${seed}, step ${step}`);
      compared += a.length;
      // Let queued writes commit now and then, so reads fall before, inside and after batches.
      if (rnd() < 0.3) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pending);
    assert.deepEqual(await Promise.all(reads(cached, ids, names, prng(1))), await Promise.all(reads(plain, ids, names, prng(1))));
    assert.ok(compared > 10_000);
    other.close();
    await plain.close();
    await cached.close();
  });

  it('drops a changed row after the COMMIT, so a read during the transaction cannot keep the old one', async () => {
    const s = new SqliteStore(join(dir, 'mid-tx.db'));
    await s.transaction(async (tx) => { await tx.insertUser({ id: 1n, screenName: 'a', name: 'old', createdAt: 1 }); });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let changed!: () => void;
    const inside = new Promise<void>((resolve) => { changed = resolve; });
    const write = s.transaction(async (tx) => {
      await tx.updateUser(1n, { name: 'new' });
      await tx.adjustCounts(1n, 5, 0);
      changed();
      await gate;
    });
    await inside;
    // Not committed yet: the committed row is read, and cached again.
    assert.equal((await s.userById(1n))?.name, 'old');
    assert.equal((await s.usersByIds([1n])).get(1n)?.followersCount, 0);
    release();
    await write;
    assert.equal((await s.userById(1n))?.name, 'new');
    assert.equal((await s.usersByIds([1n])).get(1n)?.followersCount, 5);
    await s.close();
  });

  it('shows a change another connection committed at the next read', async () => {
    const path = join(dir, 'other.db');
    const s = new SqliteStore(path);
    await s.transaction(async (tx) => { await tx.insertUser({ id: 1n, screenName: 'a', name: 'before', createdAt: 1 }); });
    assert.equal((await s.userById(1n))?.name, 'before');
    assert.equal((await s.userById(1n))?.name, 'before');
    const other = new Database(path);
    other.prepare("UPDATE users SET name = 'after' WHERE id = 1").run();
    other.close();
    assert.equal((await s.userById(1n))?.name, 'after');
    assert.equal((await s.userByScreenName('A'))?.name, 'after');
    await s.close();
  });

  it('asks data_version once per request, and a commit before the next request is seen by it', async () => {
    const path = join(dir, 'per-request.db');
    const s = new SqliteStore(path);
    await s.transaction(async (tx) => { await tx.insertUser({ id: 1n, screenName: 'a', name: 'v0', createdAt: 1 }); });
    const other = new Database(path);
    const rename = (name: string) => other.prepare('UPDATE users SET name = ? WHERE id = 1').run(name);
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    s.refresh();
    assert.equal((await s.userById(1n))?.name, 'v0');
    assert.equal((await s.userByScreenName('a'))?.name, 'v0');
    // Committed during the request's turn: its later reads keep to what the request began with.
    rename('v1');
    assert.equal((await s.userById(1n))?.name, 'v0');
    assert.equal((await s.userByScreenName('a'))?.name, 'v0');
    // The next request, or any read in a later turn, sees it.
    s.refresh();
    assert.equal((await s.userById(1n))?.name, 'v1');
    rename('v2');
    await nextTurn();
    assert.equal((await s.userById(1n))?.name, 'v2');
    // A read outside any request asks every time.
    rename('v3');
    assert.equal((await s.userById(1n))?.name, 'v3');
    other.close();
    await s.close();
  });

  it('caches the rows the transactions of a batch ended with, and none from a transaction that rolled back', async () => {
    const path = join(dir, 'staged.db');
    const s = new SqliteStore(path);
    const plain = new SqliteStore(path, { readCache: false });
    await s.transaction(async (tx) => {
      await tx.insertUser({ id: 1n, screenName: 'a', name: 'A', createdAt: 1 });
      await tx.insertUser({ id: 2n, screenName: 'b', name: 'B', createdAt: 1 });
    });
    // One batch: the first adjusts both users, the second adjusts 1 again and is refused.
    const kept = s.transaction(async (tx) => { await tx.user(1n); await tx.user(2n); await tx.adjustCounts(1n, 3, 0); await tx.adjustCounts(2n, 0, 2); });
    const refused = s.transaction(async (tx) => { await tx.user(1n); await tx.adjustCounts(1n, 100, 0); throw new Error('refused'); });
    await kept;
    await assert.rejects(refused, /refused/);
    for (const id of [1n, 2n]) assert.deepEqual(await s.userById(id), await plain.userById(id));
    assert.equal((await s.userById(1n))?.followersCount, 3);
    assert.equal((await s.userById(2n))?.friendsCount, 2);
    // A batch that commits: the rows its transaction held are served, the same object each time.
    const answered = await s.transaction(async (tx) => { await tx.adjustCounts(2n, 1, 0); return tx.user(2n); });
    assert.equal(await s.userById(2n), answered);
    assert.deepEqual(answered, await plain.userById(2n));
    await plain.close();
    await s.close();
  });

  it('hands out one frozen row per version, so a renderer can tell a row it has seen by identity', async () => {
    const s = new SqliteStore(join(dir, 'identity.db'));
    await s.transaction(async (tx) => { await tx.insertUser({ id: 1n, screenName: 'a', name: 'A', createdAt: 1 }); });
    const first = await s.userById(1n);
    assert.equal(await s.userById(1n), first);
    assert.equal((await s.usersByIds([1n])).get(1n), first);
    assert.ok(Object.isFrozen(first));
    await s.transaction((tx) => tx.adjustCounts(1n, 1, 0));
    const second = await s.userById(1n);
    assert.notEqual(second, first);
    assert.equal(second?.followersCount, 1);
    await s.close();
  });
});
