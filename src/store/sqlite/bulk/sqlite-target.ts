// Bulk loads into SQLite. A load is one transaction in rollback-journal mode: pages the load
// appends to the file are not journaled (there is nothing to restore for them), pages it changes
// are, so the load costs little more than writing the data once and a failure at any point
// (an error, a kill, a crash) rolls back to the database as it was. WAL mode is restored after.
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { NewUser, UserId, UserRow } from '../../types.js';
import { migrateSqlite } from '../sqlite-store.js';
import { toUser, type Raw } from '../rows.js';
import type { BulkTarget, BulkWriter, CountDrift, EdgeRecord } from '../../bulk/bulk-target.js';
import { markIds, NO_RETWEETS, NOTIFY, orderBy, SKIP, type EdgeList } from '../../bulk/edge-list.js';
import { step, type Progress } from '../../bulk/progress.js';
import { BatchInsert } from './batch-insert.js';
import { DRIFT_SQL, FORGET_SQL, RECOUNT_SQL, REPAIR_SQL } from './recount-sql.js';
import { privateDatabaseFile } from '../file-mode.js';

export class DatabaseBusyError extends Error {}

/** Rows a streamed read hands over at a time. */
const BATCH = 4096;

const USER_COLUMNS = 'id, screen_name, screen_name_key, name, description, location, url, email, protected, verified, created_at';

class SqliteWriter implements BulkWriter {
  constructor(private readonly db: Database.Database) {}

  async insertUsers(users: Iterable<NewUser>, total: number, progress: Progress): Promise<number> {
    const insert = new BatchInsert(this.db, `INSERT INTO users (${USER_COLUMNS})`, '(?,?,?,?,?,?,?,?,?,?,?)', 11, 64);
    let n = 0;
    progress.start('users', total);
    for (const u of users) {
      insert.push(u.id, u.screenName, u.screenName.toLowerCase(), u.name, u.description ?? '', u.location ?? '',
        u.url ?? null, u.email ?? null, u.protected ? 1 : 0, u.verified ? 1 : 0, u.createdAt);
      n++;
      progress.tick(1);
    }
    insert.flush();
    progress.stop();
    return n;
  }

  async insertFollows(edges: EdgeList, progress: Progress): Promise<{ added: number; existing: number }> {
    const existing = this.markStored(edges);
    // Into an empty graph, the pair index is cheaper built once, sorted, than kept up row by row.
    const pairIndex = existing === 0 && !this.hasFollows() ? this.dropPairIndex() : null;
    const base = Number((this.db.prepare("SELECT value FROM counters WHERE name = 'edge_seq'").get() as Raw).value);
    const { ids, src, dst, flags } = edges;
    const hidden = this.hiddenAmong(ids);
    // Forward rows in (src, seq) order and backward rows in (dst, seq) order: both append
    // (rows naming a suspended or deactivated user go to that list's hidden range instead).
    const fwd = new BatchInsert(this.db, 'INSERT INTO edges_fwd (kind, src, hidden, seq, dst, notify, retweets)', '(0,?,?,?,?,?,?)', 6);
    const bwd = new BatchInsert(this.db, 'INSERT INTO edges_bwd (kind, dst, hidden, seq, src)', '(0,?,?,?,?)', 4);
    let added = 0;
    progress.start('edge rows', edges.count * 2);
    for (const i of orderBy(edges, 'src')) {
      const f = flags[i]!;
      if (f & SKIP) continue;
      fwd.push(ids[src[i]!], hidden[dst[i]!], base + i + 1, ids[dst[i]!], f & NOTIFY ? 1 : 0, f & NO_RETWEETS ? 0 : 1);
      added++;
      progress.tick(1);
    }
    fwd.flush();
    for (const i of orderBy(edges, 'dst')) {
      if (flags[i]! & SKIP) continue;
      bwd.push(ids[dst[i]!], hidden[src[i]!], base + i + 1, ids[src[i]!]);
      progress.tick(1);
    }
    bwd.flush();
    progress.stop();
    if (pairIndex) await step(progress, 'pair index', () => this.db.exec(pairIndex));
    this.db.prepare("UPDATE counters SET value = ? WHERE name = 'edge_seq'").run(base + edges.count);
    return { added, existing };
  }

  /** 1 for each user (by index) who is stored and not active, as Tx.addEdge marks rows naming one. */
  private hiddenAmong(ids: BigInt64Array): Uint8Array {
    return markIds(ids, this.db.prepare('SELECT id FROM users WHERE state <> 0').pluck().iterate() as Iterable<bigint>);
  }

  private hasFollows(): boolean {
    return this.db.prepare('SELECT 1 FROM edges_fwd WHERE kind = 0 LIMIT 1').get() !== undefined;
  }

  /** Drops the (kind, src, dst) index and returns the SQL that makes it again. */
  private dropPairIndex(): string {
    const sql = this.db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'edges_fwd_pair'").pluck().get() as string;
    this.db.exec('DROP INDEX edges_fwd_pair');
    return sql;
  }

  /** Marks edges the database already holds; skipped entirely when it holds no follows. */
  private markStored(edges: EdgeList): number {
    if (!this.hasFollows()) return 0;
    const has = this.db.prepare('SELECT 1 FROM edges_fwd WHERE kind = 0 AND src = ? AND dst = ?');
    let n = 0;
    for (let i = 0; i < edges.count; i++) {
      if (!(edges.flags[i]! & SKIP) && has.get(edges.ids[edges.src[i]!], edges.ids[edges.dst[i]!])) {
        edges.flags[i]! |= SKIP;
        n++;
      }
    }
    return n;
  }

  async existingIds(ids: BigInt64Array): Promise<Set<bigint>> {
    const get = this.db.prepare('SELECT 1 FROM users WHERE id = ?');
    const found = new Set<bigint>();
    for (const id of ids) if (get.get(id)) found.add(id);
    return found;
  }

  async usersByScreenNames(keys: readonly string[]): Promise<Map<string, UserId>> {
    const get = this.db.prepare('SELECT id FROM users WHERE screen_name_key = ?');
    const out = new Map<string, UserId>();
    for (const k of keys) {
      const r = get.get(k) as Raw | undefined;
      if (r) out.set(k, r.id as bigint);
    }
    return out;
  }
}

export class SqliteTarget implements BulkTarget {
  readonly backend = 'sqlite' as const;
  private readonly db: Database.Database;

  constructor(private readonly path: string) {
    privateDatabaseFile(path);
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    this.db.defaultSafeIntegers(true);
    migrateSqlite(this.db);
  }

  async load<T>(work: (w: BulkWriter) => Promise<T>, progress: Progress): Promise<T> {
    // Leaving WAL needs the only connection: a running server on this file makes this fail here.
    const busy = new DatabaseBusyError(`${this.path} is in use (stop the server before a bulk load)`);
    let mode: unknown;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      mode = this.db.pragma('journal_mode = DELETE', { simple: true });
    } catch (err) {
      throw (err as { code?: string }).code === 'SQLITE_BUSY' ? busy : err;
    }
    if (mode !== 'delete') throw busy;
    this.db.pragma('cache_size = -1048576');
    this.db.pragma('temp_store = MEMORY');
    try {
      this.db.exec('BEGIN EXCLUSIVE');
      try {
        const result = await work(new SqliteWriter(this.db));
        await step(progress, 'counts', () => this.db.exec(RECOUNT_SQL).exec(REPAIR_SQL));
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      this.db.pragma('journal_mode = WAL');
    }
  }

  async recount(repair: boolean): Promise<CountDrift[]> {
    const run = this.db.transaction(() => {
      this.db.exec(RECOUNT_SQL);
      const drift = (this.db.prepare(DRIFT_SQL).all() as Raw[]).map((r) => ({
        userId: r.id as bigint,
        stored: { followers: Number(r.followers_count), friends: Number(r.friends_count) },
        actual: { followers: Number(r.followers), friends: Number(r.friends) },
      }));
      this.db.exec(repair ? REPAIR_SQL : FORGET_SQL);
      return drift;
    });
    return run.immediate();
  }

  async screenNameKeys(): Promise<Set<string>> {
    return new Set(this.db.prepare('SELECT screen_name_key FROM users').pluck().all() as string[]);
  }
  async countFollows(): Promise<number> {
    return Number(this.db.prepare('SELECT count(*) FROM edges_fwd WHERE kind = 0').pluck().get());
  }
  async countUsers(): Promise<number> {
    return Number(this.db.prepare('SELECT count(*) FROM users').pluck().get());
  }

  async *follows(): AsyncIterable<EdgeRecord[]> {
    // Position order is the order the follows happened; rows come as arrays, a batch at a time.
    const rows = this.db.prepare('SELECT src, dst, notify, retweets FROM edges_fwd WHERE kind = 0 ORDER BY seq').raw(true).iterate();
    let batch: EdgeRecord[] = [];
    for (const r of rows as Iterable<[bigint, bigint, bigint, bigint]>) {
      batch.push({ src: r[0], dst: r[1], notify: r[2] === 1n, retweets: r[3] === 1n });
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async *following(user: UserId): AsyncIterable<EdgeRecord & { screenName: string }> {
    const rows = this.db.prepare(`SELECT e.src, e.dst, e.notify, e.retweets, u.screen_name FROM edges_fwd e JOIN users u ON u.id = e.dst
      WHERE e.kind = 0 AND e.src = ? ORDER BY e.seq`).iterate(user);
    for (const r of rows as Iterable<Raw>) {
      yield { src: r.src as bigint, dst: r.dst as bigint, notify: Number(r.notify) === 1, retweets: Number(r.retweets) === 1, screenName: r.screen_name as string };
    }
  }

  async *users(): AsyncIterable<UserRow> {
    for (const r of this.db.prepare('SELECT * FROM users ORDER BY id').iterate() as Iterable<Raw>) yield toUser(r);
  }

  async userByScreenName(screenName: string): Promise<UserRow | undefined> {
    const r = this.db.prepare('SELECT * FROM users WHERE screen_name_key = ?').get(screenName.toLowerCase()) as Raw | undefined;
    return r && toUser(r);
  }

  /** The file and its write-ahead log (empty after a load, which runs outside WAL mode). */
  async diskBytes(): Promise<number> {
    return statSync(this.path).size + (statSync(`${this.path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
