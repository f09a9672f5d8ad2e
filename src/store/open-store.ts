import type { Store } from './types.js';
import { SqliteStore, type SqliteOptions } from './sqlite/sqlite-store.js';

export class StoreConfigError extends Error {}

/** Opens the store a `--db` location names: a postgres:// URL, or else a SQLite file path. */
export async function openStore(location: string, opts: SqliteOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(location)) {
    throw new StoreConfigError('PostgreSQL support is not built yet; use a SQLite file path');
  }
  return new SqliteStore(location, opts);
}
