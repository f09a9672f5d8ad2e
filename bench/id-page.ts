// Times one 5,000-id page of the most-followed account, straight through the store, and prints
// the plan of that page. Meant for a generated graph, e.g.
//   bin/roost generate --users 100000 --follows 2000000 --db /tmp/edges-bench.db
//   node --import tsx bench/id-page.ts /tmp/edges-bench.db [suspend]
// (or a postgres:// URL with ?schema=, for the same on PostgreSQL).
// "suspend" first suspends one in ten of the account's followers (through the graph, as an
// operator would), so the page skips hidden edges too.
import Database from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { readIdsJson, readPage } from '../src/graph/pages.js';
import { closeServices, createServices } from '../src/services.js';
import { parsePostgresUrl } from '../src/store/postgres/postgres-store.js';

const [path, mode] = process.argv.slice(2);
if (!path) throw new Error('usage: id-page.ts <sqlite file | postgres url> [suspend]');
const onPostgres = /^postgres(ql)?:/.test(path);
const PAGE = 5000;
const ROUNDS = 200;

const STAR = 'SELECT id, followers_count AS n FROM users ORDER BY followers_count DESC LIMIT 1';
/** The page statement of whichever schema the database has, with its hidden column or its join. */
const pageSql = (layered: boolean, p: (n: number) => string) => layered
  ? `SELECT seq, src AS id FROM edges_bwd WHERE kind = 0 AND dst = ${p(1)} AND hidden = ${onPostgres ? 'false' : '0'} AND seq < ${p(2)} ORDER BY seq DESC LIMIT ${p(3)}`
  : `SELECT e.seq, e.src AS id FROM edges_bwd e JOIN users u ON u.id = e.src WHERE e.kind = 0 AND e.dst = ${p(1)} AND u.state = 0 AND e.seq < ${p(2)} ORDER BY e.seq DESC LIMIT ${p(3)}`;

async function withPg<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const { connectionString, schema } = parsePostgresUrl(path!);
  const c = new pg.Client({ connectionString, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await c.connect();
  try { return await work(c); } finally { await c.end(); }
}

async function starOf(): Promise<{ id: bigint; n: bigint }> {
  if (onPostgres) return withPg(async (c) => { const r = (await c.query(STAR)).rows[0]; return { id: BigInt(r.id), n: BigInt(r.n) }; });
  const raw = new Database(path!, { readonly: true });
  raw.defaultSafeIntegers(true);
  try { return raw.prepare(STAR).get() as { id: bigint; n: bigint }; } finally { raw.close(); }
}

async function plan(id: bigint): Promise<string[]> {
  if (onPostgres) {
    return withPg(async (c) => {
      const layered = (await c.query("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'edges_bwd' AND column_name = 'hidden'")).rowCount! > 0;
      const sql = pageSql(layered, (n) => `$${n}`);
      const r = await c.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, [id.toString(), '9223372036854775807', PAGE]);
      return [sql, ...r.rows.map((row) => row['QUERY PLAN'] as string)];
    });
  }
  const db = new Database(path!, { readonly: true });
  try {
    const layered = (db.prepare("SELECT count(*) AS n FROM pragma_table_info('edges_bwd') WHERE name = 'hidden'").get() as { n: number }).n > 0;
    const sql = pageSql(layered, () => '?');
    return [sql, ...(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(id, Number.MAX_SAFE_INTEGER, PAGE) as { detail: string }[]).map((r) => r.detail)];
  } finally {
    db.close();
  }
}

const star = await starOf();
const s = await createServices(loadConfig({ db: path, redisUrl: null }, {}));
if (mode === 'suspend') {
  const t0 = performance.now();
  let n = 0;
  let cursor = -1n;
  while (cursor !== 0n) {
    const p = await readPage(s.store, 'follow', 'in', star.id, cursor, PAGE);
    for (const [i, id] of p.ids.entries()) {
      if (i % 10 !== 0) continue;
      await s.graph.setState(id, 'suspended');
      n++;
    }
    cursor = BigInt(p.next);
  }
  console.log(`suspended ${n} followers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function time(label: string, run: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 20; i++) await run(); // warm the cache and the statements
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.floor(q * (ms.length - 1))]!.toFixed(3);
  console.log(`${label}: median ${at(0.5)} ms, p90 ${at(0.9)} ms`);
}

const first = await readIdsJson(s.store, 'follow', 'in', star.id, -1n, PAGE);
console.log(`account ${star.id}: ${star.n} followers; first page ${JSON.parse(first.json).length} ids, next ${first.next}`);
await time('ids page as JSON (first)', () => readIdsJson(s.store, 'follow', 'in', star.id, -1n, PAGE));
await time('ids page as JSON (second)', () => readIdsJson(s.store, 'follow', 'in', star.id, BigInt(first.next), PAGE));
await time('ids page as values (first)', () => readPage(s.store, 'follow', 'in', star.id, -1n, PAGE));
await closeServices(s);

const [sql, ...steps] = await plan(star.id);
console.log(`plan: ${sql}`);
for (const step of steps) console.log(`  ${step}`);
