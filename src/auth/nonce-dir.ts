// Where a process without Redis keeps its OAuth 1.0a nonce journal: beside a SQLite database
// (`<file>.nonces/`), or, for PostgreSQL (no file to sit beside), under the user's data directory,
// one directory per database URL. A `:memory:` database keeps nothing across restarts anyway.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const isPostgres = (db: string) => /^postgres(ql)?:\/\//.test(db);

export function nonceDirFor(db: string, configured: string | null): string | null {
  if (configured) return resolve(configured);
  if (db === ':memory:') return null;
  if (!isPostgres(db)) return `${resolve(db)}.nonces`;
  const url = new URL(db);
  url.password = '';
  const id = createHash('sha256').update(url.toString()).digest('hex').slice(0, 16);
  return join(homedir(), '.local', 'share', 'roost', 'nonces', id);
}
