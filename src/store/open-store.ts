import type { Store } from './types.js';
import type { SqliteOptions } from './sqlite/sqlite-store.js';
import type { PostgresOptions } from './postgres/postgres-store.js';

export type StoreOptions = SqliteOptions & PostgresOptions;

/**
 * Opens the store a `--db` location names: a postgres:// (or postgresql://) URL, or else a SQLite
 * file path. A URL may carry `?schema=NAME` (tables live in that schema, created on open) and
 * `?pool_size=N`; both are roost's and are not passed on to PostgreSQL.
 */
export async function openStore(location: string, opts: StoreOptions = {}): Promise<Store> {
  // Each backend's driver is loaded only when asked for, so a command on SQLite never loads pg.
  if (/^postgres(ql)?:\/\//.test(location)) return (await import('./postgres/postgres-store.js')).PostgresStore.open(location, opts);
  return new (await import('./sqlite/sqlite-store.js')).SqliteStore(location, opts);
}
