// The emulator empties its database at start and on every reset, so it must only ever empty one
// it created. It marks the databases it creates with SQLite's application id (a field of the file
// header meant for this: naming the program a file belongs to) and checks it before any wipe.
import Database from 'better-sqlite3';
import { rmSync, statSync } from 'node:fs';
import { privateDatabaseFile } from '../store/sqlite/file-mode.js';

/** "rEmu": a SQLite database the roost emulator created and may empty. */
export const EMULATOR_APPLICATION_ID = 0x72456d75;

export class NotEmulatorDatabaseError extends Error {
  constructor(readonly path: string, why: string) {
    super(`${path} ${why}, so the emulator will not empty it (it empties its database at start and on every reset); `
      + 'name a new file with --db, or leave --db and ROOST_DB unset for a temporary database');
  }
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Throws unless `path` is absent, empty, or a database the emulator created. */
export function checkEmulatorOwns(path: string): void {
  if (!sizeOf(path)) return; // nothing there to lose
  let id: unknown;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      id = db.pragma('application_id', { simple: true });
    } finally {
      db.close();
    }
  } catch {
    throw new NotEmulatorDatabaseError(path, 'is not a SQLite database');
  }
  if (id !== EMULATOR_APPLICATION_ID) throw new NotEmulatorDatabaseError(path, 'is a database the emulator did not create');
}

/** Empties (or creates) the emulator's database: a new, marked, owner-only file in its place. */
export function freshEmulatorDatabase(path: string): void {
  checkEmulatorOwns(path);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  privateDatabaseFile(path);
  const db = new Database(path);
  try {
    db.pragma(`application_id = ${EMULATOR_APPLICATION_ID}`);
  } finally {
    db.close();
  }
}
