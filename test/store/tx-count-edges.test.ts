// Tx.countEdges: the true follow counts of active users, read inside the transaction, so they
// include its own uncommitted writes and agree with the counts read beside them (recount).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/store/types.js';
import { backends } from './backends.js';

for (const backend of backends()) {
  describe(`Tx.countEdges: ${backend.name}`, () => {
    after(() => backend.cleanup());

    it('counts inside the transaction, its own writes included, active users only', async () => {
      const s: Store = await backend.fresh();
      await s.transaction(async (tx) => {
        for (const id of [1n, 2n, 3n, 4n]) await tx.insertUser({ id, screenName: `c${id}`, name: `C ${id}`, createdAt: 1 });
      });
      const seen = await s.transaction(async (tx) => {
        await tx.addEdge('follow', 2n, 1n);
        await tx.addEdge('follow', 3n, 1n);
        await tx.addEdge('follow', 1n, 4n);
        await tx.addEdge('block', 4n, 1n); // not a follow: not counted
        const inside = await tx.countEdges(1n);
        await tx.updateUser(3n, { state: 'suspended' });
        return [inside, await tx.countEdges(1n)];
      });
      assert.deepEqual(seen, [{ followers: 2, friends: 1 }, { followers: 1, friends: 1 }]);
      assert.deepEqual(await s.countEdges(1n), { followers: 1, friends: 1 }, 'the store agrees once committed');
      const afterUnfollow = await s.transaction(async (tx) => {
        await tx.removeEdge('follow', 2n, 1n);
        return tx.countEdges(1n);
      });
      assert.deepEqual(afterUnfollow, { followers: 0, friends: 1 });
    });
  });
}
