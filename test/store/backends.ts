// The backends the store contract runs on: SQLite always, PostgreSQL when ROOST_TEST_PG names one.
// Each test opens a fresh store: a new SQLite file, or a new schema named after this run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';
import type { StoreOptions } from '../../src/store/open-store.js';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A store on empty storage; closed by cleanup() if the test did not close it. */
  fresh(opts?: StoreOptions): Promise<Store>;
  cleanup(): Promise<void>;
}

export const PG_URL = process.env.ROOST_TEST_PG;

/** Closes what each test left open; closing twice is a no-op. */
function tracker() {
  const open = new Set<Store>();
  return {
    track(store: Store): Store {
      const close = store.close.bind(store);
      store.close = async () => { if (open.delete(store)) await close(); };
      open.add(store);
      return store;
    },
    async closeAll() { for (const s of [...open]) await s.close(); },
  };
}

function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'roost-store-'));
  const t = tracker();
  let n = 0;
  return {
    name: 'sqlite',
    fresh: async (opts) => t.track(new SqliteStore(join(dir, `store-${++n}.db`), opts)),
    async cleanup() {
      await t.closeAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A schema-name prefix unique to this run: every schema the run creates starts with it. */
export const RUN_SCHEMA = `roost_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

function postgresBackend(url: string): Backend {
  const t = tracker();
  let n = 0;
  return {
    name: 'postgres',
    fresh: async (opts) => t.track(await PostgresStore.open(url, { ...opts, schema: `${RUN_SCHEMA}_${++n}` })),
    async cleanup() {
      await t.closeAll();
      await dropRunSchemas(url);
    },
  };
}

/** Drops every schema this run created, including those opened directly by a test. */
export async function dropRunSchemas(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)', [RUN_SCHEMA]);
    for (const r of rows) await client.query(`DROP SCHEMA "${r.nspname as string}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Every backend available here, for a store test to loop over. Without ROOST_TEST_PG it also
 * registers a skipped suite, so the report of every such test file says PostgreSQL did not run.
 */
export function backends(): Backend[] {
  if (PG_URL) return [sqliteBackend(), postgresBackend(PG_URL)];
  describe('postgres', { skip: 'ROOST_TEST_PG is not set: this file ran on SQLite only' }, () => {});
  return [sqliteBackend()];
}
