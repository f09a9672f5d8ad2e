// A database as an older roost left it: the migrations up to `version` only, plus rows written
// with that schema's own SQL. Opening it with the current roost then runs the later migrations,
// which is what a test of "stored data keeps its meaning" needs.
import Database from 'better-sqlite3';
import pg from 'pg';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { parsePostgresUrl } from '../../src/store/postgres/postgres-store.js';

export interface LegacyUser {
  id: bigint;
  screenName: string;
  createdAt: number;
}

const MIGRATIONS_TABLE = 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)';

/** Creates the schema at `version` in the (empty) database at `location` and inserts the users. */
export async function legacyDb(location: string, version: number, users: readonly LegacyUser[]): Promise<void> {
  if (/^postgres(ql)?:\/\//.test(location)) {
    const { connectionString, schema } = parsePostgresUrl(location);
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      if (schema) await client.query(`CREATE SCHEMA "${schema}"; SET search_path = "${schema}"`);
      await client.query(MIGRATIONS_TABLE);
      for (const m of PG_MIGRATIONS.filter((x) => x.version <= version)) {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, 0)', [m.version]);
      }
      for (const u of users) {
        await client.query('INSERT INTO users (id, screen_name, screen_name_key, name, created_at) VALUES ($1, $2, $3, $2, $4)',
          [u.id.toString(), u.screenName, u.screenName.toLowerCase(), u.createdAt]);
      }
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(location);
  try {
    db.exec(MIGRATIONS_TABLE);
    for (const m of SQLITE_MIGRATIONS.filter((x) => x.version <= version)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)').run(m.version);
    }
    const insert = db.prepare('INSERT INTO users (id, screen_name, screen_name_key, name, created_at) VALUES (?, ?, ?, ?, ?)');
    for (const u of users) insert.run(u.id, u.screenName, u.screenName.toLowerCase(), u.screenName, u.createdAt);
  } finally {
    db.close();
  }
}
