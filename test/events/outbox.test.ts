// The outbox: a graph write records its event in its own transaction, only when an edge changed,
// and a write that fails records nothing. Runs on SQLite, and on PostgreSQL with ROOST_TEST_PG.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredEvent } from '../../src/events/types.js';
import { Graph } from '../../src/graph/graph.js';
import { GraphRuleError } from '../../src/graph/errors.js';
import type { Store, UserId } from '../../src/store/types.js';
import { backends } from '../store/backends.js';
import { NO_FOLLOW_LIMITS, NO_QUOTA } from '../support/unlimited.js';

const A = 1001n, B = 1002n, C = 1003n;

async function seed(store: Store) {
  await store.transaction(async (tx) => {
    for (const [id, name, prot] of [[A, 'alice', false], [B, 'bob', false], [C, 'carol', true]] as const) {
      await tx.insertUser({ id, screenName: name, name, protected: prot, createdAt: 1 });
    }
  });
}

const actor = (userId: UserId) => ({ userId, appId: null });
const brief = (events: StoredEvent[]) => events.map((e) => `${e.type} ${e.sourceId}>${e.targetId}`);

for (const backend of backends()) {
  describe(backend.name, () => {
    after(() => backend.cleanup());

    /** Events recorded since `from`, as "type src>dst". */
    async function since(store: Store, from: bigint) {
      return brief(await store.events.eventsAfter(from, 100));
    }

    test('each follow, unfollow, block, unblock, mute and unmute that changes an edge records one event', async () => {
      const store = await backend.fresh();
      await seed(store);
      const graph = new Graph(store, NO_FOLLOW_LIMITS, NO_QUOTA);
      await graph.follow(actor(A), B, { notify: false });
      await graph.follow(actor(A), B, { notify: false }); // already following: nothing changes
      await graph.unfollow(actor(A), B);
      await graph.unfollow(actor(A), B); // nothing to remove
      await graph.mute(actor(A), B);
      await graph.mute(actor(A), B);
      await graph.unmute(actor(A), B);
      await graph.block(actor(A), B);
      await graph.block(actor(A), B);
      await graph.unblock(actor(A), B);
      await graph.unblock(actor(A), B);
      assert.deepEqual(await since(store, 0n), [
        `follow.follow ${A}>${B}`, `follow.unfollow ${A}>${B}`, `mute.mute ${A}>${B}`, `mute.unmute ${A}>${B}`,
        `block.block ${A}>${B}`, `block.unblock ${A}>${B}`,
      ]);
      const all = await store.events.eventsAfter(0n, 100);
      assert.deepEqual(all.map((e) => e.seq), [...all.map((e) => e.seq)].sort((x, y) => (x < y ? -1 : 1)));
      assert.equal(new Set(all.map((e) => e.id)).size, all.length);
      assert.ok(all.every((e) => /^\d{18,19}$/.test(e.id) && e.createdAt > 1_600_000_000_000));
      assert.equal(await store.events.headSeq(), all.at(-1)!.seq);
    });

    test('a block removes follows both ways but raises block.block alone', async () => {
      const store = await backend.fresh();
      await seed(store);
      const graph = new Graph(store, NO_FOLLOW_LIMITS, NO_QUOTA);
      await graph.follow(actor(A), B, { notify: false });
      await graph.follow(actor(B), A, { notify: false });
      const head = await store.events.headSeq();
      await graph.block(actor(A), B);
      assert.deepEqual(await since(store, head), [`block.block ${A}>${B}`]);
      // v1.1's follow lifts the caller's block first: both changes are told
      const lifted = await store.events.headSeq();
      await graph.follow(actor(A), B, { notify: false });
      assert.deepEqual(await since(store, lifted), [`block.unblock ${A}>${B}`, `follow.follow ${A}>${B}`]);
    });

    test('a request raises nothing; its acceptance raises follow.follow from the requester', async () => {
      const store = await backend.fresh();
      await seed(store);
      const graph = new Graph(store, NO_FOLLOW_LIMITS, NO_QUOTA);
      const outcome = await graph.follow(actor(A), C, { notify: false });
      assert.equal(outcome.outcome, 'requested');
      assert.deepEqual(await since(store, 0n), []);
      await graph.accept(actor(C), A);
      await graph.follow(actor(B), C, { notify: false });
      await graph.setProtected(C, false); // approves everyone still waiting
      assert.deepEqual(await since(store, 0n), [`follow.follow ${A}>${C}`, `follow.follow ${B}>${C}`]);
    });

    test('a write that fails leaves no event', async () => {
      const store = await backend.fresh();
      await seed(store);
      const refusing = new Graph(store, NO_FOLLOW_LIMITS, { take: async () => false });
      await assert.rejects(refusing.follow(actor(A), B, { notify: false }), GraphRuleError);
      await assert.rejects(store.transaction(async (tx) => {
        await tx.addEdge('follow', A, B);
        await tx.recordEvent({ type: 'follow.follow', sourceId: A, targetId: B });
        throw new Error('refused after recording');
      }), /refused after recording/);
      assert.deepEqual(await since(store, 0n), []);
      assert.equal(await store.events.headSeq(), 0n);
      // and the next committed one is read as usual
      await new Graph(store, NO_FOLLOW_LIMITS, NO_QUOTA).follow(actor(A), B, { notify: false });
      assert.deepEqual(await since(store, 0n), [`follow.follow ${A}>${B}`]);
    });

    test('concurrent follows of one account: one event per new edge, none from a duplicate or a replayed attempt', async () => {
      const store = await backend.fresh();
      await seed(store);
      const fans = Array.from({ length: 24 }, (_, i) => 2000n + BigInt(i));
      await store.transaction(async (tx) => {
        for (const id of fans) await tx.insertUser({ id, screenName: `fan${id}`, name: 'fan', createdAt: 1 });
      });
      const graph = new Graph(store, NO_FOLLOW_LIMITS, NO_QUOTA);
      // each fan follows B twice at once: one of the two finds the edge there (or, on a rare
      // deadlock, PostgreSQL replays an attempt); either way one event per edge
      await Promise.all(fans.flatMap((id) => [graph.follow(actor(id), B, { notify: false }), graph.follow(actor(id), B, { notify: false })]));
      const events = await store.events.eventsAfter(0n, 1000);
      assert.deepEqual(events.map((e) => `${e.type} ${e.sourceId}>${e.targetId}`).sort(), fans.map((id) => `follow.follow ${id}>${B}`).sort());
      assert.equal((await store.userById(B))?.followersCount, fans.length);
    });

    test('profile events keep before and after; pages by seq and by time', async () => {
      let now = 1_700_000_000_000;
      let id = 1_000_000_000_000_000_000n;
      const s = await backend.fresh({ eventStamp: { now: () => now, nextId: () => ++id } });
      await seed(s);
      for (const [i, name] of ['x', 'y', 'z'].entries()) {
        now += 1000;
        await s.transaction((tx) => tx.recordEvent({ type: 'profile.update.screenname', sourceId: A, targetId: null, before: `n${i}`, after: name }));
      }
      const all = await s.events.eventsAfter(0n, 10);
      assert.deepEqual(all.map((e) => [e.id, e.createdAt, e.before, e.after, e.targetId]), [
        ['1000000000000000001', 1_700_000_001_000, 'n0', 'x', null],
        ['1000000000000000002', 1_700_000_002_000, 'n1', 'y', null],
        ['1000000000000000003', 1_700_000_003_000, 'n2', 'z', null],
      ]);
      assert.deepEqual((await s.events.eventsAfter(all[0]!.seq, 1)).map((e) => e.after), ['y']);
      const between = await s.events.eventsBetween(1_700_000_002_000, 1_700_000_003_000, 0n, 10);
      assert.deepEqual(between.map((e) => e.after), ['y', 'z']);
      assert.deepEqual((await s.events.eventsBetween(1_700_000_002_000, 1_700_000_003_000, between[0]!.seq, 10)).map((e) => e.after), ['z']);
      // retention: older ones go in batches; the head never moves back
      const head = await s.events.headSeq();
      assert.equal(await s.events.deleteOlderThan(1_700_000_003_000, 1), 1);
      assert.equal(await s.events.deleteOlderThan(1_700_000_003_000, 1), 1);
      assert.equal(await s.events.deleteOlderThan(1_700_000_003_000, 1), 0);
      assert.deepEqual((await s.events.eventsAfter(0n, 10)).map((e) => e.after), ['z']);
      assert.equal(await s.events.headSeq(), head);
      // Texts that quoting could mangle arrive exactly as written.
      const awkward = ["it's", 'back\\slash \\\' \\n', "'); DROP TABLE events; --", '日本語 🐦 "quoted"', ''];
      for (const text of awkward) await s.transaction((tx) => tx.recordEvent({ type: 'profile.update.bio', sourceId: A, targetId: null, before: text, after: `${text}!` }));
      const texts = (await s.events.eventsAfter(0n, 20)).filter((e) => e.type === 'profile.update.bio');
      assert.deepEqual(texts.map((e) => [e.before, e.after]), awkward.map((t) => [t, `${t}!`]));
      await s.events.deleteOlderThan(Number.MAX_SAFE_INTEGER, 10);
      await s.transaction((tx) => tx.recordEvent({ type: 'mute.mute', sourceId: A, targetId: B }));
      assert.ok((await s.events.headSeq()) > head, 'a seq is never handed out twice');
    });
  });
}

