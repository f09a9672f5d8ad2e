// A database written before edge states opens with every row's state computed from users.state,
// and a page of a list is one range of the edge key with no users lookup, on both backends.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SQL } from '../../src/store/postgres/queries.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { pageSql, SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import { dropRunSchemas, PG_URL, RUN_SCHEMA } from './backends.js';

const FIRST = { kind: 'before', seq: Number.MAX_SAFE_INTEGER } as const;

// Before edge states: users 2 (suspended) and 3 (deactivated) among active 1 and 4; 9 has no row.
const USERS = [[1, 0], [2, 1], [3, 2], [4, 0]] as const;
const EDGES = [[0, 2, 1, 1], [0, 3, 1, 2], [0, 4, 1, 3], [0, 1, 2, 4], [0, 1, 4, 5], [2, 1, 3, 6], [0, 9, 1, 7]] as const; // kind, src, dst, seq
const userRow = ([id, state]: readonly [number, number]) => [id, `u${id}`, `u${id}`, `U ${id}`, state, 1];
const INSERT_USER = 'INSERT INTO users (id, screen_name, screen_name_key, name, state, created_at) VALUES';

/** What the migrated store must answer. */
async function checkMigrated(s: Store): Promise<void> {
  const list = async (kind: 'follow' | 'block', dir: 'in' | 'out', id: bigint) =>
    (await s.page(kind, dir, id, FIRST, 10)).items.map((i) => [Number(i.id), i.seq]);
  assert.deepEqual(await list('follow', 'in', 1n), [[4, 3]]);
  assert.deepEqual(await list('follow', 'out', 1n), [[4, 5]]);
  assert.deepEqual(await list('block', 'out', 1n), []);
  assert.deepEqual(await list('follow', 'out', 2n), [[1, 1]], 'a hidden user’s own list names active users');
  assert.deepEqual(await s.countEdges(1n), { followers: 1, friends: 1 });
  await s.transaction((tx) => tx.updateUser(2n, { state: 'active' }));
  assert.deepEqual(await list('follow', 'in', 1n), [[4, 3], [2, 1]], 'rows come back at their positions');
  assert.deepEqual(await list('follow', 'out', 1n), [[4, 5], [2, 4]]);
}

describe('edge states: migrating a database from before them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roost-edge-states-'));
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (PG_URL) await dropRunSchemas(PG_URL);
  });

  it('sqlite: computes each row’s state from users.state', async () => {
    const path = join(dir, 'old.db');
    const db = new Database(path);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const m of SQLITE_MIGRATIONS.filter((m) => m.version < 3)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, 1)').run(m.version);
    }
    for (const u of USERS) db.prepare(`${INSERT_USER} (?, ?, ?, ?, ?, ?)`).run(...userRow(u));
    for (const [kind, src, dst, seq] of EDGES) {
      db.prepare('INSERT INTO edges_fwd (kind, src, seq, dst) VALUES (?, ?, ?, ?)').run(kind, src, seq, dst);
      db.prepare('INSERT INTO edges_bwd (kind, dst, seq, src) VALUES (?, ?, ?, ?)').run(kind, dst, seq, src);
    }
    db.close();
    const s = new SqliteStore(path);
    try {
      await checkMigrated(s);
    } finally {
      await s.close();
    }
  });

  it('postgres: computes each row’s state from users.state', { skip: !PG_URL && 'ROOST_TEST_PG not set' }, async () => {
    const schema = `${RUN_SCHEMA}_edge_states`;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      await c.query(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
      await c.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
      for (const m of PG_MIGRATIONS.filter((m) => m.version < 3)) {
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations VALUES ($1, 1)', [m.version]);
      }
      for (const u of USERS) await c.query(`${INSERT_USER} ($1, $2, $3, $4, $5, $6)`, userRow(u));
      for (const [kind, src, dst, seq] of EDGES) {
        await c.query('INSERT INTO edges_fwd (kind, src, seq, dst) VALUES ($1, $2, $3, $4)', [kind, src, seq, dst]);
        await c.query('INSERT INTO edges_bwd (kind, dst, seq, src) VALUES ($1, $2, $3, $4)', [kind, dst, seq, src]);
      }
    } finally {
      await c.end();
    }
    const s = await PostgresStore.open(PG_URL!, { schema });
    try {
      await checkMigrated(s);
    } finally {
      await s.close();
    }
  });
});

describe('edge states: a page is one range of the edge key', () => {
  it('sqlite: every page statement searches the primary key through hidden, and nothing else', () => {
    const db = new Database(':memory:');
    for (const m of SQLITE_MIGRATIONS) db.exec(m.sql);
    for (const [dir, owner] of [['out', 'src'], ['in', 'dst']] as const) {
      for (const [name, sql] of Object.entries(pageSql(dir))) {
        const params = Array<number>(sql.split('?').length - 1).fill(1);
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
        const searches = plan.filter((d) => d.startsWith('SEARCH') || d.startsWith('SCAN'));
        const key = new RegExp(`^SEARCH edges_(fwd|bwd) USING PRIMARY KEY \\(kind=\\? AND ${owner}=\\? AND hidden=\\? AND seq[<>]=?\\?\\)$`);
        assert.ok(searches.some((d) => key.test(d)), `${dir} ${name}: ${plan.join(' | ')}`);
        assert.ok(searches.every((d) => key.test(d) || d === 'SCAN (subquery-1)'), `${dir} ${name}: ${plan.join(' | ')}`);
        assert.ok(!plan.some((d) => /users|TEMP B-TREE/.test(d)), `${dir} ${name}: ${plan.join(' | ')}`);
      }
    }
    db.close();
  });

  it('postgres: the page statements scan the primary key in order, index only, with no sort and no users', { skip: !PG_URL && 'ROOST_TEST_PG not set' }, async () => {
    const schema = `${RUN_SCHEMA}_edge_plan`;
    await (await PostgresStore.open(PG_URL!, { schema })).close();
    const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    await c.connect();
    try {
      // One list of 20,000 rows, and the plan PostgreSQL would reuse for any parameters.
      await c.query(`INSERT INTO edges_fwd (kind, src, hidden, seq, dst) SELECT 0, 1, g % 10 = 0, g, g + 1 FROM generate_series(1, 20000) g`);
      await c.query(`INSERT INTO edges_bwd (kind, dst, hidden, seq, src) SELECT 0, 1, g % 10 = 0, g, g + 1 FROM generate_series(1, 20000) g`);
      await c.query('ANALYZE edges_fwd; ANALYZE edges_bwd; SET plan_cache_mode = force_generic_plan');
      for (const name of ['outBefore', 'outAfter', 'inBefore', 'inAfter'] as const) {
        await c.query(`PREPARE page_${name} AS ${SQL[name]}`);
        const { rows } = await c.query(`EXPLAIN (FORMAT JSON) EXECUTE page_${name}(0, 1, 10000, 5000)`);
        const nodes: { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Index Cond'?: string }[] = [];
        const walk = (n: { Plans?: unknown[] } & (typeof nodes)[number]) => { nodes.push(n); for (const p of n.Plans ?? []) walk(p as typeof n); };
        walk(rows[0]['QUERY PLAN'][0].Plan);
        const text = JSON.stringify(nodes.map((n) => [n['Node Type'], n['Relation Name'], n['Index Name'], n['Index Cond']]));
        // The key carries the other end's id (migration 8): the rows themselves are never read.
        assert.deepEqual(nodes.map((n) => n['Node Type']), ['Limit', 'Index Only Scan'], `${name}: ${text}`);
        assert.match(nodes[1]!['Index Name']!, /^edges_(fwd|bwd)_pkey$/, `${name}: ${text}`);
        assert.match(nodes[1]!['Index Cond']!, /hidden = false/, `${name}: ${text}`);
      }
    } finally {
      await c.end();
    }
  });
});
