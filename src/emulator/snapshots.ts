// Named snapshots of an emulator's whole state, one file each beside its database
// (`<db>-snapshots/<name>.db`): a consistent copy made by SQLite's VACUUM INTO (users, edges,
// apps, tokens, passwords, webhooks, subscriptions, the event outbox), plus what lives outside the
// database (the clock, fault rules, the fixture's names, the last id minted) in a table of the
// copy. Written beside and renamed into place, a snapshot is whole or absent; as a file, it
// survives a restart and a reset.
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { privateDatabaseFile } from '../store/sqlite/file-mode.js';
import type { ClockMode } from './controlled-clock.js';
import { EMULATOR_APPLICATION_ID } from './owned-db.js';

/** Letters, digits, _ and -: a file name on every system, never a path. */
const SNAPSHOT_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const FILE = /^([A-Za-z0-9_-]{1,64})\.db$/;
const TABLE = 'roost_snapshot';

export class SnapshotError extends Error {}

/** The emulator's state that is not in its database. */
export interface OutsideState {
  clock: { mode: ClockMode; now_ms: number };
  faults: Record<string, string | number>[];
  /** the fixture's names: apps and users by id, tokens by value */
  names: { apps: Record<string, string>; users: Record<string, string>; tokens: Record<string, string> };
  /** the id minted last before the copy: a restore mints only above it */
  last_id: string;
}

export interface SnapshotInfo {
  name: string;
  /** when it was saved (wall clock) */
  at: string;
  /** the emulator clock it holds */
  clock: string;
  bytes: number;
}

function readState(file: string): OutsideState {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      // Only a copy of an emulator's own database (its application id) goes where the emulator's was.
      const row = db.pragma('application_id', { simple: true }) === EMULATOR_APPLICATION_ID
        ? db.prepare(`SELECT state FROM ${TABLE}`).get() as { state: string } | undefined : undefined;
      if (row) return JSON.parse(row.state) as OutsideState;
    } finally {
      db.close();
    }
  } catch { /* answered below */ }
  throw new SnapshotError(`${file} is not a roost emulator snapshot`);
}

export class SnapshotShelf {
  readonly dir: string;

  constructor(db: string) {
    this.dir = `${db}-snapshots`;
  }

  fileOf(name: string): string {
    if (!SNAPSHOT_NAME.test(name)) throw new SnapshotError('a snapshot name is 1-64 letters, digits, _ or -');
    return join(this.dir, `${name}.db`);
  }

  has(name: string): boolean {
    try {
      return statSync(this.fileOf(name)).isFile();
    } catch (err) {
      if (err instanceof SnapshotError) throw err;
      return false;
    }
  }

  list(): SnapshotInfo[] {
    let entries: string[];
    try {
      entries = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: SnapshotInfo[] = [];
    for (const entry of entries.sort()) {
      const name = FILE.exec(entry)?.[1];
      if (name) out.push(this.info(name));
    }
    return out;
  }

  info(name: string): SnapshotInfo {
    const file = this.fileOf(name);
    const st = statSync(file);
    let clock = '';
    try {
      clock = new Date(readState(file).clock.now_ms).toISOString();
    } catch { /* listed all the same, so it can be deleted */ }
    return { name, at: st.mtime.toISOString(), clock, bytes: st.size };
  }

  /** Copies the database at `db` (opened by others, in WAL mode) and `state` into the snapshot `name`, replacing it. */
  save(name: string, db: string, state: OutsideState): SnapshotInfo {
    const file = this.fileOf(name);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp`;
    rmSync(tmp, { force: true });
    privateDatabaseFile(tmp); // VACUUM INTO writes into an empty file, keeping its owner-only mode
    try {
      const source = new Database(db, { readonly: true, fileMustExist: true });
      try {
        source.prepare('VACUUM INTO ?').run(tmp);
      } finally {
        source.close();
      }
      const copy = new Database(tmp);
      try {
        copy.exec(`CREATE TABLE ${TABLE} (state TEXT NOT NULL)`);
        copy.prepare(`INSERT INTO ${TABLE} (state) VALUES (?)`).run(JSON.stringify(state));
      } finally {
        copy.close();
      }
      renameSync(tmp, file);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    return this.info(name);
  }

  /** The snapshot's file and outside state, checked before anything is replaced with them. */
  read(name: string): { file: string; state: OutsideState } {
    const file = this.fileOf(name);
    return { file, state: readState(file) };
  }

  delete(name: string): boolean {
    const file = this.fileOf(name);
    if (!this.has(name)) return false;
    rmSync(file);
    return true;
  }
}

/** Puts the snapshot `file` where the (closed) database `db` was, without the snapshot's own table. */
export function replaceDatabase(db: string, file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
  privateDatabaseFile(db);
  copyFileSync(file, db);
  const copy = new Database(db);
  try {
    copy.exec(`DROP TABLE ${TABLE}`);
  } finally {
    copy.close();
  }
}
