// `npm run bench -- --pg [--users N --follows M --seconds S]`: the read table on PostgreSQL
// (ROOST_BENCH_PG, default the local test database) with one roost process and with
// `serve --workers 2`, and durable follow/unfollow transactions at 64 concurrent callers over
// many users and all on one account, with the replays each needed. The graph is generated once
// by `bin/roost generate` into a schema named after its size and kept for later runs (drop it
// with `DROP SCHEMA roost_bench_u<N>_f<M> CASCADE`). Prints a table; writes no file.
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { openTarget } from '../src/store/bulk/open-target.js';
import { benchAccounts, benchReads, type GraphSize, type Recorded } from './graph.js';
import { loadNow } from './report.js';
import { measure, type Measured } from './load.js';
import { startRoostPg, type Served } from './servers.js';

const BIN = new URL('../bin/roost', import.meta.url).pathname;
const READ_CONNECTIONS = 16;
const WRITE_CONNECTIONS = 64;

const withSchema = (url: string, schema: string) => `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;

async function recordedInPg(base: string, schema: string): Promise<Recorded> {
  const c = new pg.Client({ connectionString: base, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    const star = (await c.query('SELECT id::text, followers_count AS n FROM users ORDER BY followers_count DESC LIMIT 1')).rows[0] as { id: string; n: number };
    const sample = (await c.query('SELECT src::text AS id FROM edges_bwd WHERE kind = 0 AND dst = $1 AND hidden = false ORDER BY seq DESC LIMIT 100', [star.id])).rows.map((r: { id: string }) => BigInt(r.id));
    const last = (await c.query('SELECT seq::text FROM edges_bwd WHERE kind = 0 AND dst = $1 AND hidden = false ORDER BY seq ASC LIMIT 1 OFFSET 5000', [star.id])).rows[0] as { seq: string } | undefined;
    return { star: { id: BigInt(star.id), followers: star.n }, sample, lastPageCursor: last ? BigInt(last.seq) : -1n };
  } finally {
    await c.end();
  }
}

async function generated(base: string, schema: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    return (await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rows.length > 0;
  } finally {
    await c.end();
  }
}

/** Replays the process reported when it stopped (each worker reports its own). */
const replaysIn = (output: string) => [...output.matchAll(/(\d+) write transactions retried/g)].reduce((n, m) => n + Number(m[1]), 0);

export async function runPg(size: GraphSize, seconds: number, say: (line: string) => void): Promise<void> {
  const base = process.env.ROOST_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `roost_bench_u${size.users}_f${size.follows}`;
  const location = withSchema(base, schema);
  say(`PostgreSQL bench, ${new Date().toISOString()}, load average at start ${loadNow().map((n) => n.toFixed(1)).join(" ")}`);
  if (!(await generated(base, schema))) {
    say(`generating ${size.users.toLocaleString('en')} users and ${size.follows.toLocaleString('en')} follows into schema ${schema} (kept for later runs)`);
    execFileSync(process.execPath, [BIN, 'generate', '--db', location, '--users', String(size.users), '--follows', String(size.follows),
      '--seed', String(size.seed), '--celebrities', String(size.celebrities), '--quiet'], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const acc = await benchAccounts(location, WRITE_CONNECTIONS, 256, () => recordedInPg(base, schema));
  say(`graph ${schema}: biggest account ${acc.star.id} with ${acc.star.followers.toLocaleString('en')} followers`);
  const reads = benchReads(acc);
  const viewer = acc.actors[0]!;

  const run = async <T>(workers: number, body: (s: Served) => Promise<T>): Promise<T> => {
    const s = await startRoostPg(location, workers);
    try {
      return await body(s);
    } finally {
      await s.stop();
    }
  };
  const readAll = async (s: Served) => {
    const out: Measured[] = [];
    for (const r of reads) {
      const spec = { origin: s.origin, pid: s.pid, seconds, connections: READ_CONNECTIONS, get: { pathAndQuery: r.path, creds: viewer.creds } };
      await measure({ ...spec, seconds: 1 });
      const m = await measure(spec);
      say(`  ${r.name}: ${Math.round(m.reqPerSec)} req/s, p99 ${m.p99} ms${m.non2xx + m.errors ? `, ${m.non2xx + m.errors} FAILED` : ''}`);
      out.push(m);
    }
    return out;
  };
  const writes = async (workers: number, targets: bigint[], label: string) => {
    const s = await startRoostPg(location, workers);
    let m: Measured;
    try {
      const spec = { origin: s.origin, pid: s.pid, seconds, connections: WRITE_CONNECTIONS, writes: { actors: acc.actors, targets, signed: true } };
      m = await measure(spec);
    } finally {
      await s.stop();
    }
    const replays = replaysIn(s.output());
    say(`  ${label}, ${workers} process${workers > 1 ? 'es' : ''}: ${Math.round(m.reqPerSec)} tx/s, p99 ${m.p99} ms, ${replays} replays in ${m.responses}${m.non2xx + m.errors ? `, ${m.non2xx + m.errors} FAILED` : ''}`);
    return { m, replays };
  };

  const table: { workers: number; reads: Measured[] }[] = [];
  const w: { label: string; workers: number; m: Measured; replays: number }[] = [];
  for (const workers of [1, 2]) {
    say(`roost, ${workers} process${workers > 1 ? 'es' : ''}`);
    table.push({ workers, reads: await run(workers, readAll) });
  }
  for (const workers of [1, 2]) {
    for (const [label, targets] of [['many users', acc.targets], ['all on one account', acc.targets.slice(0, 1)]] as const) {
      w.push({ label, workers, ...await writes(workers, [...targets], `follow/unfollow, ${label}`) });
    }
  }

  say('');
  say('| read (16 connections) | 1 process req/s | p99 ms | 2 processes req/s | p99 ms | 2 / 1 |');
  say('|---|---:|---:|---:|---:|---:|');
  const ratios: number[] = [];
  reads.forEach((r, i) => {
    const one = table[0]!.reads[i]!;
    const two = table[1]!.reads[i]!;
    ratios.push(two.reqPerSec / one.reqPerSec);
    say(`| ${r.name} | ${Math.round(one.reqPerSec)} | ${one.p99} | ${Math.round(two.reqPerSec)} | ${two.p99} | ${(two.reqPerSec / one.reqPerSec).toFixed(2)} |`);
  });
  say('');
  say('| follow/unfollow (64 callers, durable) | processes | tx/s | p99 ms | replays |');
  say('|---|---:|---:|---:|---:|');
  for (const r of w) say(`| ${r.label} | ${r.workers} | ${Math.round(r.m.reqPerSec)} | ${r.m.p99} | ${r.replays} of ${r.m.responses} |`);
  say('');
  const best = (label: string) => Math.max(...w.filter((r) => r.label === label).map((r) => r.m.reqPerSec));
  const replayShare = Math.max(...w.map((r) => r.replays / Math.max(1, r.m.responses)));
  const geo = Math.exp(ratios.reduce((a, b) => a + Math.log(b), 0) / ratios.length);
  say(`target >= 3,000 tx/s over many users: ${Math.round(best('many users'))} ${best('many users') >= 3000 ? 'met' : 'MISSED'}`);
  say(`target >= 1,000 tx/s all on one account: ${Math.round(best('all on one account'))} ${best('all on one account') >= 1000 ? 'met' : 'MISSED'}`);
  say(`target replays < 1 %: at most ${(replayShare * 100).toFixed(2)} % ${replayShare < 0.01 ? 'met' : 'MISSED'}`);
  say(`target two processes >= 1.4x the reads of one: ${geo.toFixed(2)}x (geometric mean) ${geo >= 1.4 ? 'met' : 'MISSED'}`);
  say(`load average at end ${loadNow().map((n) => n.toFixed(1)).join(" ")}`);

  if (size.users <= 200_000) {
    const target = await openTarget(location);
    try {
      const drift = await target.recount(false);
      say(`counts against edges after the run: ${drift.length === 0 ? 'equal' : `${drift.length} users DRIFTED`}`);
    } finally {
      await target.close();
    }
  }
}
