// The outbox on SQLite. One writer at a time (this process's queue, or another process holding
// the file's write lock) means seq order is commit order: AUTOINCREMENT hands out seqs in the
// order rows are written and a transaction's rows become visible together at its COMMIT, after
// every earlier one's. AUTOINCREMENT also never reuses a seq once retention has emptied the table.
import type Database from 'better-sqlite3';
import type { EventFeed, NewEvent, StoredEvent } from '../../events/types.js';
import { Signal } from '../../signal.js';
import { EVENT_COLUMNS, toStoredEvent } from '../event-rows.js';
import type { EventStamp, StoreEventLog } from '../types.js';
import type { Raw } from './rows.js';

/** How often a listened-to feed looks for other processes' commits. */
const POLL_MS = 25;

export function prepareEventWriter(db: Database.Database) {
  return db.prepare(`INSERT INTO events (id, type, created_at, source_id, target_id, before, after)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
}

export type EventInsert = ReturnType<typeof prepareEventWriter>;

export function insertEvent(stmt: EventInsert, stamp: EventStamp, e: NewEvent): void {
  stmt.run(stamp.nextId(), e.type, stamp.now(), e.sourceId, e.targetId, e.before ?? null, e.after ?? null);
}

export class SqliteEventLog implements StoreEventLog {
  readonly local = new Signal();
  private readonly after: Database.Statement;
  private readonly between: Database.Statement;
  private readonly head: Database.Statement;
  private readonly prune: Database.Statement;

  /** `reader` sees committed rows only; `runWrite` queues a write on the writer (group commit). */
  constructor(reader: Database.Database, writer: Database.Database, private readonly runWrite: <T>(work: () => T) => Promise<T>) {
    this.after = reader.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`);
    this.between = reader.prepare(`SELECT ${EVENT_COLUMNS} FROM events
      WHERE seq > ? AND created_at >= ? AND created_at <= ? ORDER BY seq LIMIT ?`);
    this.head = reader.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) AS seq").pluck();
    this.prune = writer.prepare(`DELETE FROM events WHERE seq IN
      (SELECT seq FROM events WHERE created_at < ? ORDER BY created_at LIMIT ?)`);
  }

  async eventsAfter(afterSeq: bigint, limit: number): Promise<StoredEvent[]> {
    return (this.after.all(afterSeq, limit) as Raw[]).map(toStoredEvent);
  }

  async eventsBetween(fromMs: number, toMs: number, afterSeq: bigint, limit: number): Promise<StoredEvent[]> {
    return (this.between.all(afterSeq, fromMs, toMs, limit) as Raw[]).map(toStoredEvent);
  }

  async headSeq(): Promise<bigint> {
    return BigInt(this.head.get() as bigint);
  }

  onLocalCommit(listener: () => void): () => void {
    return this.local.on(listener);
  }

  async deleteOlderThan(beforeMs: number, batch: number): Promise<number> {
    return this.runWrite(() => this.prune.run(beforeMs, batch).changes);
  }

  /**
   * Other processes writing the same file tell no one: while someone listens, headSeq is read
   * every 25 ms by default (one probe of a one-row table) and a move wakes the listeners. This process's commits wake
   * them at once.
   */
  openFeed(opts: { pollMs?: number } = {}): EventFeed {
    const listeners = new Set<() => void>();
    const wake = () => { for (const l of [...listeners]) { try { l(); } catch { /* its own */ } } };
    const offLocal = this.local.on(wake);
    let timer: NodeJS.Timeout | null = null;
    let seen = -1n;
    const poll = async () => {
      const head = await this.headSeq().catch(() => seen);
      if (seen >= 0n && head !== seen) wake();
      seen = head;
    };
    const start = () => {
      if (timer) return;
      seen = -1n;
      void poll();
      timer = setInterval(() => void poll(), opts.pollMs ?? POLL_MS);
      timer.unref();
    };
    const stop = () => { if (timer) clearInterval(timer); timer = null; };
    return {
      onCommitted(listener) {
        listeners.add(listener);
        start();
        return () => { listeners.delete(listener); if (listeners.size === 0) stop(); };
      },
      async close() { stop(); offLocal(); listeners.clear(); },
    };
  }
}
