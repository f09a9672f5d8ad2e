// The recount: the grouped SQL pass behind `bin/roost recount` finds exactly the drift the
// per-user oracle finds (counts only of active neighbours), repairs it, and then finds none.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/types.js';
import { testDb, type TestDb } from '../support/backend.js';
import { groupedDrift, perUserDrift } from '../support/recount.js';

let db: TestDb;
let store: Store;

before(async () => {
  db = await testDb('recount');
  store = await openStore(db.location);
  await store.transaction(async (tx) => {
    for (const id of [1n, 2n, 3n, 4n, 5n]) await tx.insertUser({ id, screenName: `r${id}`, name: `R ${id}`, createdAt: 1000 });
    // Edges written without their counts: 2 and 3 drift, and so does 1, who follows both.
    await tx.addEdge('follow', 1n, 2n);
    await tx.addEdge('follow', 1n, 3n);
    // A suspended follower is not in 4's count (4 drifts only by its stored friend count of 7),
    // while the suspended 5 still counts its follow of the active 4.
    await tx.addEdge('follow', 5n, 4n);
    await tx.updateUser(5n, { state: 'suspended' });
    await tx.setCounts(4n, 0, 7);
  });
});
after(async () => {
  await store.close();
  await db.cleanup();
});

test('the grouped pass reports what the per-user oracle reports, repairs it, and then finds nothing', async () => {
  const oracle = await perUserDrift(store);
  assert.deepEqual(oracle.map((d) => d.userId), [1n, 2n, 3n, 4n, 5n]);
  assert.deepEqual(await groupedDrift(db.location), oracle);
  assert.deepEqual(await groupedDrift(db.location, true), oracle, 'the repairing pass reports the same');
  assert.deepEqual(await perUserDrift(store), []);
  assert.deepEqual(await groupedDrift(db.location), []);
  assert.deepEqual(
    await Promise.all([1n, 2n, 4n, 5n].map(async (id) => { const u = (await store.userById(id))!; return [u.followersCount, u.friendsCount]; })),
    [[0, 2], [1, 0], [0, 0], [0, 1]],
  );
});
