// The figures docs/scaling.md rests on, measured on the PostgreSQL in ROOST_BENCH_PG (default
// the test database) in a schema of its own, dropped at the end:
//   1. follow/unfollow write transactions per second through Graph, by concurrent callers, on a
//      spread-out graph (2,000 users, random pairs) and a hot one (16 users), with retries seen;
//   2. one 5,000-id keyset page of a 100,000-follower list (first page and a deep one), at the
//      store and through HTTP (followers/ids, count=5000, app-only bearer).
// Usage: node --import tsx bench/scale.ts [--sqlite]   (--sqlite: the same on a SQLite file)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createApp } from '../src/admin/accounts.js';
import { loadConfig } from '../src/config.js';
import { Graph } from '../src/graph/graph.js';
import { startServer } from '../src/server.js';
import { openStore } from '../src/store/open-store.js';
import type { PostgresStore } from '../src/store/postgres/postgres-store.js';
import type { Store } from '../src/store/types.js';
import { median } from './report.js';

const SQLITE = process.argv.includes('--sqlite');
const PG = process.env.ROOST_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `roost_bench_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'roost-bench-'));
const location = SQLITE ? join(dir, 'bench.db') : `${PG}${PG.includes('?') ? '&' : '?'}schema=${SCHEMA}`;

const NO_LIMITS = { followsPerDay: null, followsPerAppPerDay: null, followingCap: null, followingRatio: 1.1 };
const BASE = 1_000_000n; // user ids BASE + i

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const retriesOf = (s: Store) => (s.backend === 'postgres' ? (s as PostgresStore).retries : 0);

async function addUsers(store: Store, from: number, to: number) {
  for (let lo = from; lo < to; lo += 5000) {
    await store.transaction(async (tx) => {
      for (let i = lo; i < Math.min(to, lo + 5000); i++) {
        await tx.insertUser({ id: BASE + BigInt(i), screenName: `b${i}`, name: `B ${i}`, createdAt: 1 });
      }
    });
  }
}

async function followThroughput(store: Store, users: number, callers: number, ops: number) {
  const graph = new Graph(store, NO_LIMITS, { take: async () => true });
  const rand = rng(callers * 7919 + users);
  const r0 = retriesOf(store);
  let left = ops;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: callers }, async () => {
    while (left-- > 0) {
      const a = Math.floor(rand() * users);
      let b = Math.floor(rand() * users);
      if (b === a) b = (b + 1) % users;
      const actor = { userId: BASE + BigInt(a), appId: null };
      // Follow, or unfollow when already following: the graph stays about the same size.
      const r = await graph.follow(actor, BASE + BigInt(b), { notify: false });
      if (r.outcome === 'unchanged') await graph.unfollow(actor, BASE + BigInt(b));
    }
  }));
  const s = (performance.now() - t0) / 1000;
  return { perSecond: ops / s, retries: retriesOf(store) - r0 };
}

async function bulkFollowers(store: Store, target: bigint, n: number, firstUser: number) {
  if (store.backend === 'postgres') {
    // One statement per table: n followers of `target`, positions from the edge sequence.
    const c = new pg.Client({ connectionString: PG, options: `-c search_path=${SCHEMA}` });
    await c.connect();
    await c.query(`INSERT INTO edges_fwd (kind, src, seq, dst) SELECT 0, $1::bigint + g, nextval('edge_seq'), $2 FROM generate_series($3::int, $4::int) g`,
      [BASE, target, firstUser, firstUser + n - 1]);
    await c.query('INSERT INTO edges_bwd (kind, dst, seq, src) SELECT kind, dst, seq, src FROM edges_fwd WHERE kind = 0 AND dst = $1', [target]);
    await c.query('UPDATE users SET followers_count = $1 WHERE id = $2', [n, target]);
    await c.query('ANALYZE');
    await c.end();
  } else {
    for (let lo = 0; lo < n; lo += 10_000) {
      await store.transaction(async (tx) => {
        for (let i = lo; i < Math.min(n, lo + 10_000); i++) await tx.addEdge('follow', BASE + BigInt(firstUser + i), target);
        await tx.adjustCounts(target, Math.min(n, lo + 10_000) - lo, 0);
      });
    }
  }
}

async function main() {
  const store = await openStore(location);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`backend: ${store.backend}${SQLITE ? '' : ` (pool 10, READ COMMITTED under user and pair locks)`}; node ${process.version}; ${new Date().toISOString()}`);
  try {
    // 1. write transactions
    await addUsers(store, 0, 2000);
    for (const [users, label] of [[2000, 'spread: 2,000 users'], [16, 'hot: 16 users']] as const) {
      for (const callers of [1, 4, 16, 64]) {
        const ops = callers === 1 ? 500 : 2000;
        const r = await followThroughput(store, users, callers, ops);
        say(`follow/unfollow, ${label}, ${callers} concurrent callers: ${r.perSecond.toFixed(0)} tx/s, ${r.retries} retries in ${ops} calls`);
      }
    }

    // 2. a 5,000-id page of a 100,000-follower list
    const N = 100_000;
    await addUsers(store, 2000, 2000 + N + 1);
    const star = BASE + BigInt(2000 + N); // new: followed by users 2000 .. 2000 + N - 1
    await bulkFollowers(store, star, N, 2000);
    const FIRST = { kind: 'before' as const, seq: Number.MAX_SAFE_INTEGER };
    const first = await store.page('follow', 'in', star, FIRST, 5000);
    const mid = (await store.page('follow', 'in', star, { kind: 'before', seq: first.items[4999]!.seq }, 5000 * 9)).items.at(-1)!.seq;
    for (const [label, window] of [['first page', FIRST], ['page 11 (deep cursor)', { kind: 'before' as const, seq: mid }]] as const) {
      const times: number[] = [];
      for (let i = 0; i < 21; i++) {
        const t0 = performance.now();
        const p = await store.page('follow', 'in', star, window, 5000);
        times.push(performance.now() - t0);
        if (p.items.length !== 5000) throw new Error(`short page: ${p.items.length}`);
      }
      say(`store.page 5,000 follower ids of a 100,000-follower user, ${label}: median ${median(times).toFixed(1)} ms`);
    }
    await store.close();

    const server = await startServer(loadConfig({ port: 0, host: '127.0.0.1', db: location, rateLimits: false, redisUrl: null }, {}));
    try {
      const app = await createApp(server.services.store, server.services.ids, server.services.clock, 'bench');
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 21; i++) {
        const t0 = performance.now();
        const r = await fetch(`${server.url}/1.1/followers/ids.json?user_id=${star}&count=5000`, { headers: { authorization: `Bearer ${app.bearerToken}` } });
        const body = await r.text();
        times.push(performance.now() - t0);
        if (r.status !== 200) throw new Error(`${r.status} ${body}`);
        bytes = body.length;
      }
      say(`GET followers/ids count=5000 (app-only, ${Math.round(bytes / 1024)} KB): median ${median(times).toFixed(1)} ms`);
    } finally {
      await server.close();
    }
  } finally {
    await store.close().catch(() => undefined);
    if (!SQLITE) {
      const c = new pg.Client({ connectionString: PG });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
      await c.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
