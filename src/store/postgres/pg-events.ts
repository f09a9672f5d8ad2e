// The outbox on PostgreSQL. Concurrent writers commit in any order, so a seq drawn at insert
// time would let a reader page past a lower seq that commits later. Rows are therefore written
// without a seq (with the id of their transaction, xid, which keeps a transaction's events
// together), and numbered once committed: a reader first settles the log, numbering under an
// advisory lock every committed row not yet numbered, after the highest number given so far
// (event_head). A numbering pass is one transaction and passes run one after another, so the
// numbered rows a reader sees are always a prefix of the order, and a row that commits later is
// numbered above every row already read: a cursor never skips an event. Writers take no lock
// and do one INSERT; the numbering is one UPDATE per batch of up to 5,000 rows, on the read side.
import type { Pool } from 'pg';
import type { EventFeed, NewEvent, StoredEvent } from '../../events/types.js';
import { Signal } from '../../signal.js';
import { EVENT_COLUMNS, toStoredEvent } from '../event-rows.js';
import type { EventStamp, StoreEventLog } from '../types.js';
import { PgEventFeed } from './pg-event-feed.js';
import type { Db } from './queries.js';
import type { Raw } from './rows.js';

const SETTLE_BATCH = 5000;

export const EVENT_SQL = {
  insertEvent: `INSERT INTO events (id, type, created_at, source_id, target_id, before, after)
    VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  anyUnsettled: 'SELECT 1 FROM events WHERE seq IS NULL LIMIT 1',
  settleLock: "SELECT pg_advisory_xact_lock(hashtextextended('roost.events:' || current_schema(), 0))",
  // Numbered in (xid, id) order: one transaction's events stay together, in the order written.
  settle: `WITH pending AS (
      SELECT xid, id, row_number() OVER (ORDER BY xid, id) AS n FROM events
      WHERE seq IS NULL ORDER BY xid, id LIMIT $1
    ), head AS (
      UPDATE event_head SET seq = seq + (SELECT count(*) FROM pending)
      RETURNING seq - (SELECT count(*) FROM pending) AS base
    )
    UPDATE events e SET seq = head.base + pending.n FROM pending, head
    WHERE e.seq IS NULL AND e.xid = pending.xid AND e.id = pending.id`,
  eventsAfter: `SELECT ${EVENT_COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`,
  eventsBetween: `SELECT ${EVENT_COLUMNS} FROM events
    WHERE seq > $1 AND created_at >= $2 AND created_at <= $3 ORDER BY seq LIMIT $4`,
  headSeq: 'SELECT seq FROM event_head',
  pruneEvents: 'DELETE FROM events WHERE ctid = ANY(ARRAY(SELECT ctid FROM events WHERE created_at < $1 LIMIT $2))',
} as const;

type EventQuery = keyof typeof EVENT_SQL;

async function q(db: Db, name: EventQuery, values: unknown[]): Promise<Raw[]> {
  return (await db.query({ name: `roost_${name}`, text: EVENT_SQL[name], values })).rows as Raw[];
}

export async function insertEvent(db: Db, stamp: EventStamp, e: NewEvent): Promise<void> {
  await q(db, 'insertEvent', [stamp.nextId(), e.type, stamp.now(), e.sourceId, e.targetId, e.before ?? null, e.after ?? null]);
}

export class PgEventLog implements StoreEventLog {
  private readonly local = new Signal();
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** what this process's NOTIFYs carry, so its own feeds skip them (they woke on the COMMIT) */
  readonly token = `${process.pid}.${Math.random().toString(36).slice(2)}`;
  private notifying: Promise<void> | null = null;
  private notifyAgain = false;

  constructor(private readonly pool: Pool, private readonly channel: string, private readonly connectionString: string) {}

  /**
   * After a COMMIT that recorded events: wake this process, and the others through NOTIFY. The
   * NOTIFY is sent after the COMMIT, not inside the transaction: a notifying transaction holds
   * a cluster-wide lock through its commit, which would queue every follow behind the one
   * before. At most one is in flight; commits during it are told by one more.
   */
  committed(): void {
    this.local.emit();
    if (this.notifying) { this.notifyAgain = true; return; }
    const send = async (): Promise<void> => {
      do {
        this.notifyAgain = false;
        await this.pool.query('SELECT pg_notify($1, $2)', [this.channel, this.token]).catch(() => undefined);
      } while (this.notifyAgain);
    };
    this.notifying = send().finally(() => { this.notifying = null; });
  }

  /** Waits for a NOTIFY in flight: a command's last commit still reaches the servers. */
  async flush(): Promise<void> {
    await this.notifying;
  }

  /**
   * Numbers every committed row. A caller waits for a pass that starts after its call, so what
   * committed before the call is numbered, and readable, when it returns.
   */
  settle(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) {
      this.running = this.pass().finally(() => { this.running = null; });
      return this.running;
    }
    this.queued = this.running.then(() => { this.queued = null; return this.settle(); }, () => { this.queued = null; return this.settle(); });
    return this.queued;
  }

  private async pass(): Promise<void> {
    if ((await q(this.pool, 'anyUnsettled', [])).length === 0) return;
    const client = await this.pool.connect();
    try {
      for (;;) {
        await client.query('BEGIN');
        await q(client, 'settleLock', []);
        const res = await client.query({ name: 'roost_settle', text: EVENT_SQL.settle, values: [SETTLE_BATCH] });
        await client.query('COMMIT');
        if ((res.rowCount ?? 0) < SETTLE_BATCH) break;
      }
      client.release();
    } catch (err) {
      const broken = await client.query('ROLLBACK').then(() => undefined, (e: Error) => e);
      client.release(broken ?? true);
      throw err;
    }
  }

  async eventsAfter(afterSeq: bigint, limit: number): Promise<StoredEvent[]> {
    await this.settle();
    return (await q(this.pool, 'eventsAfter', [afterSeq, limit])).map(toStoredEvent);
  }

  async eventsBetween(fromMs: number, toMs: number, afterSeq: bigint, limit: number): Promise<StoredEvent[]> {
    await this.settle();
    return (await q(this.pool, 'eventsBetween', [afterSeq, fromMs, toMs, limit])).map(toStoredEvent);
  }

  async headSeq(): Promise<bigint> {
    await this.settle();
    return BigInt((await q(this.pool, 'headSeq', []))[0]!.seq as bigint);
  }

  onLocalCommit(listener: () => void): () => void {
    return this.local.on(listener);
  }

  async deleteOlderThan(beforeMs: number, batch: number): Promise<number> {
    const res = await this.pool.query({ name: 'roost_pruneEvents', text: EVENT_SQL.pruneEvents, values: [beforeMs, batch] });
    return res.rowCount ?? 0;
  }

  openFeed(): EventFeed {
    return new PgEventFeed({ connectionString: this.connectionString, channel: this.channel, token: this.token }, this, this.local);
  }
}
