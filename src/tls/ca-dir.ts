// Where roost keeps its certificate authority: beside a SQLite database (`<file>.ca/`), or, for a
// PostgreSQL database (no file to sit beside), in the user's data directory.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const isPostgres = (db: string) => /^postgres(ql)?:\/\//.test(db);

/** Where a CA lives when there is no database file to keep it beside. */
export const userCaDir = (): string => join(homedir(), '.local', 'share', 'roost', 'ca');

export function caDirFor(db: string, configured: string | null): string {
  if (configured) return resolve(configured);
  if (isPostgres(db) || db === ':memory:') return userCaDir();
  return `${resolve(db)}.ca`;
}
