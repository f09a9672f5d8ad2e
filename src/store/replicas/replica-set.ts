// The replicas of one primary: which are in rotation and how far behind, probed on a timer (every
// few ms while a read waits for one to catch up), and the primary's WAL position after a write.
import pg from 'pg';
import type { Log } from '../../shared-state/redis.js';
import { parsePostgresUrl } from '../postgres/postgres-store.js';
import { parseLsn, PRIMARY_ONLY, type Lsn } from './lsn.js';
import { Replica } from './replica.js';

export interface ReplicaSetOptions {
  primaryUrl: string;
  urls: readonly string[];
  waitMs: number;
  maxLagMs: number;
  timeoutMs: number;
  statementTimeoutMs: number;
  log: Log;
}

/** Probe interval with nobody waiting, and while a read waits for a replica to catch up, ms. */
const IDLE_TICK_MS = 100;
const BUSY_TICK_MS = 2;

/**
 * The insert position is where the next WAL record will start: the end of the last one rounded up
 * to 8 bytes, while a replica reports the end of the last record it replayed. A record is at
 * least 24 bytes, so a replica within 7 bytes of the insert position has replayed that record.
 */
const ALIGNMENT_SLACK = 7n;

/** Why a scoped read went to the primary. */
export type PrimaryReason = 'none-in-rotation' | 'behind' | 'failed';

export class ReplicaSet {
  readonly primaryReads: Record<PrimaryReason, number> = { 'none-in-rotation': 0, behind: 0, failed: 0 };
  private next = 0;
  private waiters = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private tickDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private tickWaiters: (() => void)[] = [];
  /** (time, primary WAL position) samples, oldest first, to turn a replica's position into a lag */
  private history: { t: number; lsn: Lsn }[] = [];
  private lastSample = 0;
  private lsnInFlight: Promise<Lsn> | null = null;
  private lsnQueued: Promise<Lsn> | null = null;

  private constructor(readonly replicas: Replica[], private readonly primary: pg.Pool, private readonly opts: ReplicaSetOptions) {}

  static async open(opts: ReplicaSetOptions): Promise<ReplicaSet> {
    const { connectionString, schema } = parsePostgresUrl(opts.primaryUrl);
    const replicas = await Promise.all(opts.urls.map((url) => Replica.open(url, { ...opts, schema })));
    const primary = new pg.Pool({ connectionString, max: 2, connectionTimeoutMillis: opts.timeoutMs, statement_timeout: opts.timeoutMs });
    primary.on('error', () => undefined);
    const set = new ReplicaSet(replicas, primary, opts);
    await set.tick(); // in rotation from the first request, if they answer
    set.schedule();
    return set;
  }

  /**
   * A replica in rotation that has replayed `need` (round robin), waiting up to waitMs for one to
   * catch up; null: read the primary.
   */
  async pick(need: Lsn | null): Promise<Replica | null> {
    const found = this.ready(need);
    if (found || need === null) return found ?? this.toPrimary('none-in-rotation');
    if (need === PRIMARY_ONLY || this.opts.waitMs === 0 || !this.replicas.some((r) => r.inRotation)) return this.toPrimary('behind');
    const deadline = Date.now() + this.opts.waitMs;
    const timeUp = sleep(this.opts.waitMs);
    this.waiters++;
    this.wake?.();
    try {
      while (Date.now() < deadline) {
        await Promise.race([this.afterTick(), timeUp]);
        const r = this.ready(need);
        if (r) return r;
      }
      return this.toPrimary('behind');
    } finally {
      this.waiters--;
    }
  }

  /** A read on `r` failed: out of rotation it goes (if the failure is the server's), and the read goes to the primary. */
  failed(r: Replica, err: unknown): void {
    if (isServerFailure(err)) r.fail(err);
    this.primaryReads.failed++;
  }

  /**
   * The primary's WAL insert position now: past every commit already made. Queries in flight
   * began before the caller's commit, so a caller arriving meanwhile joins the next one.
   */
  walPosition(): Promise<Lsn> {
    if (this.lsnInFlight === null) return this.startLsnQuery();
    this.lsnQueued ??= this.lsnInFlight.then(() => undefined, () => undefined).then(() => {
      this.lsnQueued = null;
      return this.startLsnQuery();
    });
    return this.lsnQueued;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.tickDone;
    await Promise.allSettled([...this.replicas.map((r) => r.close()), this.primary.end()]);
  }

  private ready(need: Lsn | null): Replica | null {
    const n = this.replicas.length;
    for (let i = 0; i < n; i++) {
      const r = this.replicas[(this.next + i) % n]!;
      if (r.inRotation && (need === null || r.replay + ALIGNMENT_SLACK >= need)) {
        this.next = (this.next + i + 1) % n;
        return r;
      }
    }
    return null;
  }

  private toPrimary(reason: PrimaryReason): null {
    this.primaryReads[reason]++;
    return null;
  }

  private startLsnQuery(): Promise<Lsn> {
    const p = this.primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn').then((r) => parseLsn(r.rows[0]!.lsn));
    this.lsnInFlight = p;
    const clear = () => { if (this.lsnInFlight === p) this.lsnInFlight = null; };
    p.then(clear, clear);
    return p;
  }

  private schedule(): void {
    if (this.closed) return;
    const delay = this.waiters > 0 ? BUSY_TICK_MS : IDLE_TICK_MS;
    this.timer = setTimeout(() => {
      this.wake = null;
      this.tickDone = this.tick().finally(() => this.schedule());
    }, delay);
    this.timer.unref();
    // A read that starts waiting cuts the idle pause short.
    this.wake = () => {
      if (this.closed) return;
      if (this.timer) clearTimeout(this.timer);
      this.wake = null;
      this.tickDone = this.tick().finally(() => this.schedule());
    };
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSample >= IDLE_TICK_MS || this.history.length === 0) await this.sample(now);
    await Promise.all(this.replicas.filter((r) => r.due(now)).map((r) => r.poll((lsn) => this.lagOf(lsn), this.opts.maxLagMs)));
    const waiting = this.tickWaiters;
    this.tickWaiters = [];
    for (const resolve of waiting) resolve();
  }

  private afterTick(): Promise<void> {
    return new Promise((resolve) => this.tickWaiters.push(resolve));
  }

  /** The primary's write position, remembered long enough to measure the greatest lag allowed. */
  private async sample(now: number): Promise<void> {
    try {
      const { rows } = await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      this.history.push({ t: now, lsn: parseLsn(rows[0]!.lsn) });
      this.lastSample = now;
      const keepFrom = now - this.opts.maxLagMs - 2000;
      while (this.history.length > 2 && this.history[0]!.t < keepFrom) this.history.shift();
    } catch {
      // The primary's own health is /health/ready's database check; lags keep their last value.
    }
  }

  /** How long ago the primary first had WAL this replica has not replayed (0: none), ms. */
  private lagOf(replay: Lsn): number {
    const first = this.history.find((s) => s.lsn > replay);
    return first ? Date.now() - first.t : 0;
  }
}

/** A failure of the server or the connection, rather than of the query (which the primary would refuse too). */
function isServerFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true; // network, timeout, ReplicaDownError
  // 08: connection; 53: resources; 57: operator intervention (shutdown, statement timeout); 58: system; XX: internal
  return /^(08|53|57|58|XX)/.test(code);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
