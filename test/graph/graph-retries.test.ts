// A store may run a transaction's work more than once (PostgreSQL replays one chosen as a
// deadlock's victim). The graph rules must give the same result as one run: here every
// transaction runs twice, the first time rolled back, as a replayed PostgreSQL transaction does.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { systemClock } from '../../src/clock.js';
import { Graph } from '../../src/graph/graph.js';
import { GraphRuleError } from '../../src/graph/errors.js';
import { WindowFollowQuota } from '../../src/limits/follow-quota.js';
import { MemoryWindowStore } from '../../src/limits/window-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/types.js';
import { testDb, type TestDb } from '../support/backend.js';

const ROLLED_BACK = new Error('first attempt rolled back');

/** The store, except that every transaction's work runs once and is rolled back, then runs again. */
function replaying(store: Store): Store & { attempts: number } {
  const r = Object.create(store) as Store & { attempts: number };
  r.attempts = 0;
  r.transaction = async (work) => {
    r.attempts++;
    await store.transaction(async (tx) => {
      await work(tx);
      throw ROLLED_BACK;
    }).catch((err: unknown) => {
      if (err !== ROLLED_BACK) throw err;
    });
    r.attempts++;
    return store.transaction(work);
  };
  return r;
}

let db: TestDb;
let store: Store;
before(async () => {
  db = await testDb('retries');
  store = await openStore(db.location);
  await store.transaction(async (tx) => {
    for (const [id, name, prot] of [[1n, 'alice', false], [2n, 'bob', false], [3n, 'carol', true], [4n, 'dave', false]] as const) {
      await tx.insertUser({ id, screenName: name, name, protected: prot, createdAt: 1 });
    }
  });
});
after(async () => {
  await store.close();
  await db.cleanup();
});

test('a replayed follow takes the daily follow quota once', async () => {
  const policy = { followsPerDay: 2, followsPerAppPerDay: 5, followingCap: null, followingRatio: 1.1 };
  const windows = new MemoryWindowStore();
  const s = replaying(store);
  const graph = new Graph(s, policy, new WindowFollowQuota(windows, systemClock, policy));
  const alice = { userId: 1n, appId: 77n };
  assert.equal((await graph.follow(alice, 2n, { notify: false })).outcome, 'followed');
  assert.equal((await graph.follow(alice, 3n, { notify: false })).outcome, 'requested');
  assert.equal(s.attempts, 4, 'each follow ran twice');
  const now = Date.now();
  assert.equal((await windows.peek('follows:user:1', now))!.count, 2, 'two follows, two takes');
  assert.equal((await windows.peek('follows:app:77', now))!.count, 2);
  // Following again changes nothing and takes nothing; a third new follow is over the limit.
  assert.equal((await graph.follow(alice, 2n, { notify: false })).outcome, 'unchanged');
  await assert.rejects(graph.follow(alice, 4n, { notify: false }), (e) => e instanceof GraphRuleError && e.reason === 'follow-limit');
  assert.equal((await store.userById(1n))!.friendsCount, 1, 'counts moved once');
  assert.equal((await store.userById(2n))!.followersCount, 1);
});
