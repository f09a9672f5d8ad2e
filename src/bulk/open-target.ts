import type { BulkTarget } from './bulk-target.js';
import { PostgresTarget } from './postgres/postgres-target.js';
import { SqliteTarget } from './sqlite/sqlite-target.js';

/** Opens the bulk port on a --db location (see openStore): a postgres:// URL or a SQLite path. */
export async function openTarget(location: string): Promise<BulkTarget> {
  if (/^postgres(ql)?:\/\//.test(location)) return PostgresTarget.open(location);
  return new SqliteTarget(location);
}
