import type { BulkTarget } from './bulk-target.js';
import { SqliteTarget } from './sqlite/sqlite-target.js';

export class BulkBackendError extends Error {}

/** Opens the bulk port on a --db location (see openStore): a postgres:// URL or a SQLite path. */
export async function openTarget(location: string): Promise<BulkTarget> {
  if (/^postgres(ql)?:\/\//.test(location)) throw new BulkBackendError('bulk commands on PostgreSQL are not available yet');
  return new SqliteTarget(location);
}
