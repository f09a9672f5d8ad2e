// PostgreSQL commits concurrent transactions in any order. A reader paging the outbox by seq
// must still see every committed event exactly once: none skipped because it committed after
// a higher seq was read, none from a transaction that rolled back.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredEvent } from '../../src/events/types.js';
import { systemClock } from '../../src/clock.js';
import { Snowflake } from '../../src/graph/snowflake.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { PG_URL, RUN_SCHEMA, dropRunSchemas } from '../store/backends.js';

const url = PG_URL;

describe('postgres outbox ordering', { skip: url ? false : 'ROOST_TEST_PG is not set' }, () => {
  const stores: PostgresStore[] = [];
  let n = 0;
  const open = async (schema = `${RUN_SCHEMA}_o${++n}`) => {
    // each store mints as a process of its own would, with a worker id of its own
    const ids = new Snowflake(systemClock, BigInt(n++));
    const s = await PostgresStore.open(url!, { schema, poolSize: 12, eventStamp: { now: () => Date.now(), nextId: () => ids.next() } });
    stores.push(s);
    return s;
  };
  after(async () => {
    for (const s of stores) await s.close();
    await dropRunSchemas(url!);
  });

  test('an event that commits after a higher seq was read is still read, after it', async () => {
    const store = await open();
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let recorded!: () => void;
    const inside = new Promise<void>((resolve) => { recorded = resolve; });
    // The first transaction records its event, then stays open while a second one commits.
    const first = store.transaction(async (tx) => {
      await tx.recordEvent({ type: 'mute.mute', sourceId: 1n, targetId: 2n });
      recorded();
      await held;
    });
    await inside;
    await store.transaction((tx) => tx.recordEvent({ type: 'mute.mute', sourceId: 3n, targetId: 4n }));
    // a reader pages while the first transaction is still open, and moves its cursor
    const early = await store.events.eventsAfter(0n, 10);
    assert.deepEqual(early.map((e) => e.sourceId), [3n]);
    const cursor = early[0]!.seq;
    release();
    await first;
    // a seq drawn at insert would have put the first transaction's event behind the cursor
    const late = await store.events.eventsAfter(cursor, 10);
    assert.deepEqual(late.map((e) => e.sourceId), [1n]);
    assert.ok(late[0]!.seq > cursor);
    assert.equal(await store.events.headSeq(), late[0]!.seq);
  });

  test('concurrent writers in two processes\' pools and a paging reader: every committed seq once, in order', async () => {
    const schema = `${RUN_SCHEMA}_storm`;
    const a = await open(schema);
    const b = await open(schema);
    const WRITERS = 16;
    const PER_WRITER = 40;
    const committed = new Set<string>();
    let rolledBack = 0;
    let writing = true;
    const writer = async (w: number) => {
      const store = w % 2 === 0 ? a : b;
      for (let i = 0; i < PER_WRITER; i++) {
        const fail = (w * PER_WRITER + i) % 7 === 0;
        try {
          await store.transaction(async (tx) => {
            await tx.recordEvent({ type: 'follow.follow', sourceId: BigInt(w), targetId: BigInt(i) });
            // a random wait inside the transaction, so commits land out of seq order
            if (Math.random() < 0.5) await sleep(Math.floor(Math.random() * 8));
            await tx.recordEvent({ type: 'follow.unfollow', sourceId: BigInt(w), targetId: BigInt(i) });
            if (fail) throw new Error('rolled back');
          });
          committed.add(`${w}:${i}`);
        } catch {
          rolledBack++;
        }
      }
    };
    const seen: StoredEvent[] = [];
    const reader = async () => {
      let cursor = 0n;
      let deadline = Infinity;
      for (;;) {
        // Once the writers are done, read on until every committed event came or 20 s passed:
        // an unrelated transaction on the server may hold events back for a while, never lose them.
        if (!writing && deadline === Infinity) deadline = Date.now() + 20_000;
        if (seen.length >= committed.size * 2 && !writing) return;
        if (Date.now() > deadline) return;
        const page = await b.events.eventsAfter(cursor, 7);
        for (const e of page) seen.push(e);
        if (page.length > 0) cursor = page.at(-1)!.seq;
        else await sleep(1);
      }
    };
    const reading = reader();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    await reading;

    assert.ok(rolledBack > 0);
    const seqs = seen.map((e) => e.seq);
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `seq ${seqs[i]} read after ${seqs[i - 1]}`);
    assert.equal(seen.length, committed.size * 2, 'each committed transaction\'s two events, nothing else');
    assert.equal(new Set(seen.map((e) => e.id)).size, seen.length);
    const pairs = new Map<string, string[]>();
    for (const e of seen) pairs.set(`${e.sourceId}:${e.targetId}`, [...(pairs.get(`${e.sourceId}:${e.targetId}`) ?? []), e.type]);
    assert.deepEqual(new Set(pairs.keys()), committed);
    // a transaction's events are read together, in the order written
    for (const types of pairs.values()) assert.deepEqual(types, ['follow.follow', 'follow.unfollow']);
    assert.equal(await a.events.headSeq(), seqs.at(-1));
  });
});
