// Which database (and shared-state store) the end-to-end, property and CLI tests run on.
// ROOST_TEST_BACKEND=postgres runs them on ROOST_TEST_PG, each database in its own schema that
// is dropped at the end; otherwise a fresh SQLite file. With ROOST_TEST_REDIS set, the
// PostgreSQL runs also keep rate-limit windows, nonces and quotas in Redis, under a key prefix
// of their own that is deleted at the end. scripts/test.sh runs these tests on both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

export const TEST_BACKEND: 'sqlite' | 'postgres' = process.env.ROOST_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
export const TEST_PG = process.env.ROOST_TEST_PG || null;
export const TEST_REDIS = process.env.ROOST_TEST_REDIS || null;

if (TEST_BACKEND === 'postgres' && !TEST_PG) throw new Error('ROOST_TEST_BACKEND=postgres needs ROOST_TEST_PG (a postgres:// URL)');

/** Unique to this test process; every schema and Redis prefix it makes starts with it. */
const RUN = `rt_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
let n = 0;

export interface TestDb {
  /** the --db location (a SQLite path, or a postgres:// URL naming a fresh schema) */
  location: string;
  /** REDIS_URL for this database's servers, or null (memory) */
  redisUrl: string | null;
  /** a key prefix of its own in Redis */
  redisPrefix: string;
  /** Drops the schema (or deletes the file) and the Redis keys; call after every server on it has stopped. */
  cleanup(): Promise<void>;
}

/** A postgres:// URL for the schema, keeping whatever the base URL carries. */
export function schemaUrl(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return url.toString();
}

export async function dropSchema(base: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * A fresh, empty database on the selected backend. `backend` overrides the environment's
 * choice (the two-process test is PostgreSQL whatever the pass).
 */
export async function testDb(label = 'db', backend = TEST_BACKEND): Promise<TestDb> {
  const id = `${RUN}_${++n}`;
  const redisPrefix = `roost-test:${id}:`;
  if (backend === 'postgres') {
    if (!TEST_PG) throw new Error('a PostgreSQL test needs ROOST_TEST_PG');
    const schema = `${id}_${label.replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
    return {
      location: schemaUrl(TEST_PG, schema),
      redisUrl: TEST_REDIS,
      redisPrefix,
      async cleanup() {
        await dropSchema(TEST_PG, schema);
        if (TEST_REDIS) await deleteRedisKeys(TEST_REDIS, redisPrefix);
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `roost-${label}-`));
  return {
    location: join(dir, 'roost.db'),
    redisUrl: null,
    redisPrefix,
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
