import type { BulkTarget } from './bulk-target.js';

/** Opens the bulk port on a --db location (see openStore): a postgres:// URL or a SQLite path. */
export async function openTarget(location: string): Promise<BulkTarget> {
  // As openStore: only the driver asked for is loaded.
  if (/^postgres(ql)?:\/\//.test(location)) return (await import('../postgres/bulk/postgres-target.js')).PostgresTarget.open(location);
  return new (await import('../sqlite/bulk/sqlite-target.js')).SqliteTarget(location);
}
