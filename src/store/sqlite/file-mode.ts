// A SQLite database holds consumer secrets, token secrets and bearer tokens, so only its owner
// may read it. A new file is created 0600 before SQLite opens it; SQLite gives the -wal and -shm
// files the database file's mode, so they follow. A file that exists with group or other bits is
// tightened to 0600 (its -wal and -shm too); where that is not allowed, one warning is emitted.
import { chmodSync, closeSync, openSync, statSync } from 'node:fs';

const PRIVATE = 0o600;
const warned = new Set<string>();

/** Whether `path` names a file on disk (not `:memory:`, not SQLite's anonymous temporary database). */
function onDisk(path: string): boolean {
  return path !== '' && path !== ':memory:' && !path.startsWith('file:');
}

function tighten(file: string): void {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    return; // absent: SQLite creates it with the database's mode
  }
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(file, (mode & 0o700) | PRIVATE);
  } catch (err) {
    if (warned.has(file)) return;
    warned.add(file);
    process.emitWarning(`${file} is readable by others (mode ${(mode & 0o777).toString(8)}) and could not be made 0600: `
      + `${(err as NodeJS.ErrnoException).code ?? String(err)}; it holds secrets`, { code: 'ROOST_DB_MODE' });
  }
}

/** Makes sure the database file and its side files exist only as owner-readable files, before SQLite opens them. */
export function privateDatabaseFile(path: string): void {
  if (!onDisk(path)) return;
  try {
    closeSync(openSync(path, 'wx', PRIVATE));
    return;
  } catch (err) {
    // EEXIST: an existing database (below). Anything else (a missing directory, say) is left for
    // SQLite to report in its own words.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return;
  }
  for (const suffix of ['', '-wal', '-shm']) tighten(`${path}${suffix}`);
}
