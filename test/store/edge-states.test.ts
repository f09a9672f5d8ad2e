// Edge states, on every backend: each list row carries whether the user it names is hidden
// (suspended or deactivated), so a page is one range of the edge key. A state change moves the
// user's rows in other users' lists in its own transaction; rows keep their positions.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Direction, GraphKind, Store, UserState } from '../../src/store/types.js';
import { backends } from './backends.js';

const FIRST = { kind: 'before', seq: Number.MAX_SAFE_INTEGER } as const;

async function people(s: Store, ...list: number[]): Promise<void> {
  await s.transaction(async (tx) => {
    for (const id of list) await tx.insertUser({ id: BigInt(id), screenName: `u${id}`, name: `U ${id}`, createdAt: 1 });
  });
}
const setState = (s: Store, id: number, state: UserState) => s.transaction((tx) => tx.updateUser(BigInt(id), { state }));
/** The list as [id, seq] pairs, newest first. */
const list = async (s: Store, kind: GraphKind, dir: Direction, id: number) =>
  (await s.page(kind, dir, BigInt(id), FIRST, 100)).items.map((i) => [Number(i.id), i.seq]);
const ids = async (s: Store, kind: GraphKind, dir: Direction, id: number) => (await list(s, kind, dir, id)).map(([u]) => u);

for (const backend of backends()) {
  describe(`edge states: ${backend.name}`, () => {
    after(() => backend.cleanup());

    it('hides a user’s rows in every other list, of every kind and both directions, and restores them in place', async () => {
      const s = await backend.fresh();
      await people(s, 1, 2, 3, 4);
      await s.transaction(async (tx) => {
        await tx.addEdge('follow', 2n, 1n);
        await tx.addEdge('follow', 3n, 1n);
        await tx.addEdge('follow', 1n, 2n);
        await tx.addEdge('follow', 1n, 3n);
        await tx.addEdge('request', 2n, 4n);
        await tx.addEdge('block', 4n, 2n);
        await tx.addEdge('mute', 3n, 2n);
      });
      const before = await Promise.all([
        list(s, 'follow', 'in', 1), list(s, 'follow', 'out', 1), list(s, 'request', 'in', 4), list(s, 'block', 'out', 4),
        list(s, 'mute', 'out', 3), list(s, 'follow', 'out', 2),
      ]);
      await setState(s, 2, 'suspended');
      assert.deepEqual(await ids(s, 'follow', 'in', 1), [3]);
      assert.deepEqual(await ids(s, 'follow', 'out', 1), [3]);
      assert.deepEqual(await ids(s, 'request', 'in', 4), []);
      assert.deepEqual(await ids(s, 'block', 'out', 4), []);
      assert.deepEqual(await ids(s, 'mute', 'out', 3), []);
      assert.deepEqual(await ids(s, 'follow', 'out', 2), [1], 'its own lists name active users still');
      assert.deepEqual(await s.countEdges(1n), { followers: 1, friends: 1 });
      await setState(s, 2, 'deactivated'); // hidden to hidden: nothing moves
      assert.deepEqual(await ids(s, 'follow', 'in', 1), [3]);
      await setState(s, 2, 'active');
      const restored = await Promise.all([
        list(s, 'follow', 'in', 1), list(s, 'follow', 'out', 1), list(s, 'request', 'in', 4), list(s, 'block', 'out', 4),
        list(s, 'mute', 'out', 3), list(s, 'follow', 'out', 2),
      ]);
      assert.deepEqual(restored, before, 'every row back at its position');
      assert.deepEqual(await s.countEdges(1n), { followers: 2, friends: 2 });
    });

    it('shows a row only while the user it names is active: restoring one end reveals nothing of a hidden other end', async () => {
      const s = await backend.fresh();
      await people(s, 1, 2, 3);
      await s.transaction(async (tx) => {
        await tx.addEdge('follow', 1n, 2n);
        await tx.addEdge('follow', 2n, 1n);
        await tx.addEdge('follow', 3n, 1n);
      });
      await setState(s, 1, 'suspended');
      await setState(s, 2, 'deactivated');
      await setState(s, 1, 'active');
      assert.deepEqual(await ids(s, 'follow', 'out', 1), []);
      assert.deepEqual(await ids(s, 'follow', 'in', 1), [3]);
      assert.deepEqual(await ids(s, 'follow', 'in', 2), [1], 'the row naming 1 is back');
      await setState(s, 2, 'active');
      assert.deepEqual(await ids(s, 'follow', 'out', 1), [2]);
      assert.deepEqual(await ids(s, 'follow', 'in', 1), [3, 2]);
    });

    it('adds a row naming a hidden user hidden, and removes it from both tables', async () => {
      const s = await backend.fresh();
      await people(s, 1, 2, 3);
      await setState(s, 2, 'suspended');
      await s.transaction(async (tx) => {
        assert.equal(await tx.addEdge('follow', 1n, 2n), true);
        assert.equal(await tx.addEdge('follow', 2n, 3n), true);
        assert.equal(await tx.addEdge('follow', 3n, 2n), true);
        assert.equal(await tx.hasEdge('follow', 1n, 2n), true, 'a hidden row is still an edge for the rules');
        assert.deepEqual(await tx.allEdges('follow', 'in', 2n), [1n, 3n]);
      });
      assert.deepEqual([await ids(s, 'follow', 'out', 1), await ids(s, 'follow', 'in', 3)], [[], []]);
      assert.deepEqual(await ids(s, 'follow', 'in', 2), [3, 1], 'its own list names active users');
      assert.equal((await s.relations(1n, [2n])).get(2n)?.following, true);
      await s.transaction(async (tx) => {
        assert.equal(await tx.removeEdge('follow', 1n, 2n), true);
        assert.equal(await tx.removeEdge('follow', 2n, 3n), true);
      });
      await setState(s, 2, 'active');
      assert.deepEqual([await ids(s, 'follow', 'out', 1), await ids(s, 'follow', 'in', 3)], [[], []]);
      assert.deepEqual(await ids(s, 'follow', 'in', 2), [3]);
      assert.deepEqual(await ids(s, 'follow', 'out', 3), [2]);
      assert.deepEqual(await s.countEdges(2n), { followers: 1, friends: 0 });
    });

    it('keeps a cursor taken before a suspension valid across it', async () => {
      const s = await backend.fresh();
      await people(s, 1, 2, 3, 4, 5, 6);
      for (const src of [2, 3, 4, 5, 6]) await s.transaction((tx) => tx.addEdge('follow', BigInt(src), 1n));
      const p1 = await s.page('follow', 'in', 1n, FIRST, 2);
      assert.deepEqual(p1.items.map((i) => Number(i.id)), [6, 5]);
      await setState(s, 3, 'suspended');
      await setState(s, 6, 'suspended');
      const p2 = await s.page('follow', 'in', 1n, { kind: 'before', seq: p1.items[1]!.seq }, 2);
      assert.deepEqual([p2.items.map((i) => Number(i.id)), p2.more, p2.behind], [[4, 2], false, true]);
      await setState(s, 3, 'active');
      const again = await s.page('follow', 'in', 1n, { kind: 'before', seq: p1.items[1]!.seq }, 2);
      assert.deepEqual([again.items.map((i) => Number(i.id)), again.more], [[4, 3], true]);
      const back = await s.page('follow', 'in', 1n, { kind: 'after', seq: p2.items[0]!.seq }, 5);
      assert.deepEqual([back.items.map((i) => Number(i.id)), back.more], [[5], false], '6 stays hidden walking back');
    });
  });
}
