// Wake-ups: a commit that recorded events wakes listeners in its own process at once and in
// other processes on the same database (SQLite: a poll of the log; PostgreSQL: LISTEN/NOTIFY;
// Redis pub/sub when configured). Two stores on one database stand for two processes.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventRetention } from '../../src/events/retention.js';
import { RedisEventFeed } from '../../src/events/feeds.js';
import type { EventFeed } from '../../src/events/types.js';
import { RedisLink } from '../../src/shared-state/redis.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import { PG_URL, RUN_SCHEMA, dropRunSchemas } from '../store/backends.js';
import { deleteRedisKeys } from '../support/backend.js';

const REDIS = process.env.ROOST_TEST_REDIS;

/** Resolves on the feed's next wake-up, or rejects after `ms`. */
function nextWake(feed: EventFeed, ms = 3000): Promise<number> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no wake-up within ${ms} ms`)); }, ms);
    const off = feed.onCommitted(() => { clearTimeout(timer); off(); resolve(Date.now() - start); });
  });
}

const record = (store: Store) => store.transaction((tx) => tx.recordEvent({ type: 'mute.mute', sourceId: 1n, targetId: 2n }));

/** The feed wakes for a commit here and for one by the other store, and stays quiet without. */
async function wakesAcross(here: Store, there: Store) {
  const feed = here.events.openFeed();
  try {
    let woken = 0;
    const off = feed.onCommitted(() => woken++);
    await new Promise((r) => setTimeout(r, 300));
    woken = 0;
    await here.transaction(async () => undefined); // records nothing
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(woken, 0, 'a transaction without events wakes no one');
    off();
    const local = nextWake(feed, 200);
    await record(here);
    await local;
    const remote = nextWake(feed);
    await record(there);
    await remote;
  } finally {
    await feed.close();
  }
}

describe('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roost-feed-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a commit wakes this process at once and another process on the same file within a poll', async () => {
    const a = new SqliteStore(join(dir, 'feed.db'));
    const b = new SqliteStore(join(dir, 'feed.db'));
    try {
      await wakesAcross(a, b);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('retention deletes what is older than the period, in batches, and keeps the rest', async () => {
    let now = 1_700_000_000_000;
    const store = new SqliteStore(join(dir, 'retention.db'), { eventStamp: { now: () => now, nextId: () => BigInt(now) } });
    try {
      for (let i = 0; i < 1200; i++) { now += 1; await record(store); }
      now += 3_600_001; // just over an hour after the last
      await record(store);
      const gone = await new EventRetention(store.events, { now: () => now }, 1).sweep();
      assert.equal(gone, 1200);
      assert.equal((await store.events.eventsAfter(0n, 10)).length, 1);
    } finally {
      await store.close();
    }
  });
});

describe('postgres', { skip: PG_URL ? false : 'ROOST_TEST_PG is not set' }, () => {
  after(() => dropRunSchemas(PG_URL!));
  test('a commit wakes this process at once and another process on the same schema through NOTIFY', async () => {
    const a = await PostgresStore.open(PG_URL!, { schema: `${RUN_SCHEMA}_feed` });
    const b = await PostgresStore.open(PG_URL!, { schema: `${RUN_SCHEMA}_feed` });
    const other = await PostgresStore.open(PG_URL!, { schema: `${RUN_SCHEMA}_feed_other` });
    try {
      await wakesAcross(a, b);
      // another schema is another database: its commits wake no one here
      const feed = a.events.openFeed();
      let woken = 0;
      feed.onCommitted(() => woken++);
      await new Promise((r) => setTimeout(r, 300));
      woken = 0;
      await record(other);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(woken, 0);
      await feed.close();
    } finally {
      await a.close();
      await b.close();
      await other.close();
    }
  });
});

describe('redis', { skip: REDIS ? false : 'ROOST_TEST_REDIS is not set' }, () => {
  const prefix = `roost-feed-${process.pid}:`;
  after(() => deleteRedisKeys(REDIS!, prefix));
  test('a commit in one process reaches a listener in another through pub/sub', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roost-feed-redis-'));
    const log = { warn() {}, info() {} };
    const links = [await RedisLink.open(REDIS!, { prefix, log }), await RedisLink.open(REDIS!, { prefix, log })];
    // separate files, so only Redis can carry the news
    const a = new SqliteStore(join(dir, 'a.db'));
    const b = new SqliteStore(join(dir, 'b.db'));
    const feedA = new RedisEventFeed(a.events, links[0]!, `${prefix}events`);
    const feedB = new RedisEventFeed(b.events, links[1]!, `${prefix}events`);
    try {
      const woken = nextWake(feedA);
      await new Promise((r) => setTimeout(r, 200)); // the subscription is in place
      await record(b);
      await woken;
    } finally {
      await feedA.close();
      await feedB.close();
      await a.close();
      await b.close();
      for (const l of links) await l.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
