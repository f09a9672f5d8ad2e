// What the event outbox costs a follow: follow + unfollow through the Graph on a fresh SQLite
// file (or PostgreSQL schema), with the outbox, and in the same run without it (recordEvent
// turned into a no-op), alternating rounds so both see the same machine.
// Usage: node --import tsx bench/outbox-writes.ts [--pg postgres://...] [--ops 20000] [--concurrency 64] [--rounds 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Graph } from '../src/graph/graph.js';
import { openStore } from '../src/store/open-store.js';
import type { Store, Tx } from '../src/store/types.js';
import { median } from './report.js';

const { values } = parseArgs({ options: { pg: { type: 'string' }, ops: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '64' }, rounds: { type: 'string', default: '3' } } });
const OPS = Number(values.ops);
const CONCURRENCY = Number(values.concurrency);
const USERS = 1000;
const unlimited = { followsPerDay: null, followsPerAppPerDay: null, followingCap: null, followingRatio: 1.1 };

/** The store with recordEvent a no-op: the graph as it was before the outbox. */
function withoutOutbox(store: Store): Store {
  const transaction = <T>(work: (tx: Tx) => Promise<T>) =>
    store.transaction((tx) => work(new Proxy(tx, { get: (t, p) => (p === 'recordEvent' ? async () => undefined : Reflect.get(t, p, t)) })));
  return new Proxy(store, { get: (s, p) => (p === 'transaction' ? transaction : Reflect.get(s, p, s)) });
}

async function round(outbox: boolean, n: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'roost-outbox-bench-'));
  const location = values.pg ? `${values.pg}${values.pg.includes('?') ? '&' : '?'}schema=outbox_bench_${process.pid}_${n}` : join(dir, 'b.db');
  const opened = await openStore(location);
  try {
    await opened.transaction(async (tx) => {
      for (let i = 1; i <= USERS; i++) await tx.insertUser({ id: BigInt(i), screenName: `u${i}`, name: `u${i}`, createdAt: 0 });
    });
    const graph = new Graph(outbox ? opened : withoutOutbox(opened), unlimited, { take: async () => true });
    // Each op: follow a pair, then unfollow it; pairs are distinct, so every write changes an edge.
    let next = 0;
    const start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < OPS / 2; i = next++) {
        const src = BigInt((i % USERS) + 1);
        const dst = BigInt(((i * 7 + 1 + Math.floor(i / USERS)) % USERS) + 1);
        if (src === dst) continue;
        await graph.follow({ userId: src, appId: null }, dst, { notify: false });
        await graph.unfollow({ userId: src, appId: null }, dst);
      }
    }));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const events = (await opened.events.eventsAfter(0n, 1_000_000)).length;
    if (outbox !== events > 0) throw new Error(`expected ${outbox ? 'events' : 'none'}, found ${events}`);
    return OPS / seconds;
  } finally {
    await opened.close();
    if (values.pg) {
      const pg = (await import('pg')).default;
      const c = new pg.Client({ connectionString: values.pg });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS outbox_bench_${process.pid}_${n} CASCADE`);
      await c.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Record<string, number[]> = { without: [], with: [] };
for (let r = 0; r < Number(values.rounds); r++) {
  results.without!.push(await round(false, r * 2));
  results.with!.push(await round(true, r * 2 + 1));
}
const w = median(results.with!);
const wo = median(results.without!);
console.log(`${values.pg ? 'postgres' : 'sqlite'}: ${OPS} writes (follow + unfollow), concurrency ${CONCURRENCY}, median of ${values.rounds} rounds`);
console.log(`  without outbox: ${wo.toFixed(0)} writes/s  (${results.without!.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`  with outbox:    ${w.toFixed(0)} writes/s  (${results.with!.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`  cost: ${((1 - w / wo) * 100).toFixed(1)}%`);
