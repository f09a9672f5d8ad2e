// Group commit on SQLite: transactions queued together share one COMMIT, a refused one rolls
// back alone, nobody is answered before the COMMIT, and checkpoints keep the WAL small.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

class RefusedError extends Error {}

const dir = mkdtempSync(join(tmpdir(), 'roost-group-'));
let n = 0;
const freshPath = () => join(dir, `g-${++n}.db`);

async function withUsers(store: SqliteStore, count: number) {
  await store.transaction(async (tx) => {
    for (let i = 1; i <= count; i++) await tx.insertUser({ id: BigInt(i), screenName: `g${i}`, name: `G ${i}`, createdAt: 1 });
  });
}

describe('group commit (SQLite)', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('commits concurrent transactions together; a refused one leaves nothing and the others stand', async () => {
    const store = new SqliteStore(freshPath(), { synchronous: 'FULL' });
    await withUsers(store, 101);
    const before = store.commitStats;
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => store.transaction(async (tx) => {
      await tx.addEdge('follow', BigInt(i + 2), 1n);
      await tx.adjustCounts(1n, 1, 0);
      if (i % 7 === 3) throw new RefusedError(`refused ${i}`);
      return i;
    })));
    const refused = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    assert.deepEqual(refused, Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 7 === 3));
    for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof RefusedError);

    const followers = new Set((await store.transaction((tx) => tx.allEdges('follow', 'in', 1n))).map(Number));
    for (let i = 0; i < 100; i++) assert.equal(followers.has(i + 2), i % 7 !== 3, `follower ${i + 2}`);
    const star = await store.userById(1n);
    assert.equal(star?.followersCount, 100 - refused.length, 'counts moved only for the committed ones');

    const stats = store.commitStats;
    assert.equal(stats.transactions - before.transactions, 100 - refused.length + 1);
    assert.ok(stats.batches - before.batches < 10, `${stats.batches - before.batches} batches for 100 queued transactions`);
    await store.close();
  });

  it('answers a transaction only once its batch is visible to a fresh connection', async () => {
    const path = freshPath();
    const store = new SqliteStore(path, { synchronous: 'FULL' });
    await withUsers(store, 30);
    const other = new Database(path, { readonly: true });
    const count = other.prepare('SELECT count(*) AS n FROM edges_fwd WHERE kind = 0 AND src = ? AND dst = ?');
    await Promise.all(Array.from({ length: 28 }, async (_, i) => {
      await store.transaction((tx) => tx.addEdge('follow', BigInt(i + 2), 1n));
      assert.equal((count.get(i + 2, 1) as { n: number }).n, 1, `follow ${i + 2} is committed when answered`);
    }));
    other.close();
    await store.close();
  });

  it('checkpoints off the request path and truncates the WAL once writes pause', async () => {
    const path = freshPath();
    const store = new SqliteStore(path);
    await withUsers(store, 500);
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => store.transaction(async (tx) => {
        await tx.addEdge('follow', BigInt(i + 1), BigInt(((i + round + 1) % 500) + 1));
      })));
    }
    assert.ok(statSync(`${path}-wal`).size > 0, 'the writer does not checkpoint on its own');
    const deadline = Date.now() + 10_000;
    while (statSync(`${path}-wal`).size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(statSync(`${path}-wal`).size, 0, 'the checkpointer truncated the WAL');
    const reopened = new Database(path, { readonly: true });
    assert.equal((reopened.prepare('SELECT count(*) AS n FROM edges_fwd').get() as { n: number }).n, 500);
    reopened.close();
    await store.close();
  });

  it('waits out another process\'s write lock without blocking the event loop, and the writes queued meanwhile join one batch', async () => {
    const path = freshPath();
    const store = new SqliteStore(path);
    await withUsers(store, 21);
    const other = new Database(path); // stands for a second worker holding the file's write lock
    other.exec('BEGIN IMMEDIATE');
    other.prepare('UPDATE users SET name = ? WHERE id = 1').run('held');
    const before = store.commitStats;
    let answered = 0;
    const writes = Array.from({ length: 20 }, (_, i) => store.transaction(async (tx) => {
      await tx.addEdge('follow', BigInt(i + 2), 1n);
      await tx.adjustCounts(1n, 1, 0);
    }).then(() => { answered++; }));
    // Timers fire and reads are served while the lock is held elsewhere.
    let ticks = 0;
    const t0 = Date.now();
    while (Date.now() - t0 < 150) { await new Promise((r) => setTimeout(r, 10)); ticks++; }
    assert.ok(ticks >= 5, `${ticks} timer turns in 150 ms`);
    assert.equal((await store.userById(2n))?.screenName, 'g2');
    assert.equal(answered, 0, 'nothing is answered while the lock is held elsewhere');
    other.exec('COMMIT');
    await Promise.all(writes);
    const star = await store.userById(1n);
    assert.deepEqual([star?.name, star?.followersCount], ['held', 20], 'the other commit and all twenty writes');
    assert.ok(store.commitStats.batches - before.batches <= 2, `${store.commitStats.batches - before.batches} batches`);
    other.close();
    await store.close();
  });
});
