// One streaming replica: a read pool, a one-connection probe, and its state in the rotation.
import pg from 'pg';
import type { Log } from '../../shared-state/redis.js';
import { parsePostgresUrl, PostgresStore } from '../postgres/postgres-store.js';
import { parseLsn, type Lsn } from './lsn.js';

export type ReplicaStatus = 'ok' | 'down' | 'lagging';

/** How long a replica that failed stays out before it is probed again, ms. */
const RETRY_MS = 1000;

export class ReplicaDownError extends Error {}

export interface ReplicaOptions {
  /** the primary's schema, when the replica's URL names none */
  schema: string | undefined;
  statementTimeoutMs: number;
  timeoutMs: number;
  log: Log;
}

export class Replica {
  status: ReplicaStatus = 'down';
  replay: Lsn = 0n;
  lagMs = 0;
  /** reads this replica answered */
  reads = 0;
  private retryAt = 0;
  private reason = 'not probed yet';
  /** an outage has been logged and its end has not */
  private warned = false;
  private lost!: Promise<never>;
  private lose!: (err: Error) => void;

  private constructor(readonly name: string, readonly store: PostgresStore, private readonly probe: pg.Pool, private readonly log: Log) {
    this.rearm();
  }

  static async open(url: string, opts: ReplicaOptions): Promise<Replica> {
    const parsed = parsePostgresUrl(url);
    const schema = parsed.schema ?? opts.schema;
    const store = await PostgresStore.open(url, {
      migrate: false, statementTimeoutMs: opts.statementTimeoutMs, connectTimeoutMs: opts.timeoutMs,
      // A hung server runs no statement_timeout: the client gives up a little after it would have.
      queryTimeoutMs: opts.statementTimeoutMs + opts.timeoutMs, ...(schema ? { schema } : {}),
    });
    const probe = new pg.Pool({
      connectionString: parsed.connectionString, max: 1, connectionTimeoutMillis: opts.timeoutMs,
      query_timeout: opts.timeoutMs, statement_timeout: opts.timeoutMs,
    });
    probe.on('error', () => undefined);
    return new Replica(replicaName(url), store, probe, opts.log);
  }

  get inRotation(): boolean {
    return this.status === 'ok';
  }

  /** Whether a probe is due: every tick while in rotation or lagging, every RETRY_MS once down. */
  due(now: number): boolean {
    return this.status !== 'down' || now >= this.retryAt;
  }

  /** Reads the replay position; a failure or a server not in recovery takes the replica out. */
  async poll(lagOf: (replay: Lsn) => number, maxLagMs: number): Promise<void> {
    let lsn: string | null;
    try {
      const { rows } = await this.probe.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn');
      lsn = rows[0]?.lsn ?? null;
    } catch (err) {
      this.fail(err);
      return;
    }
    if (lsn === null) {
      this.fail(new Error('not a standby (not in recovery)'));
      return;
    }
    this.replay = parseLsn(lsn);
    this.lagMs = lagOf(this.replay);
    this.set(this.lagMs > maxLagMs ? 'lagging' : 'ok', `${this.lagMs} ms behind the primary`);
  }

  /** Runs a read here; it fails at once, rather than waiting its timeout out, if the replica is taken out meanwhile. */
  async read<T>(work: (store: PostgresStore) => Promise<T>): Promise<T> {
    const running = work(this.store);
    running.catch(() => undefined); // abandoned when the replica is lost first
    const result = await Promise.race([running, this.lost]);
    this.reads++;
    return result;
  }

  /** Takes the replica out of rotation (logged once per outage) and fails the reads in flight on it. */
  fail(err: unknown): void {
    this.retryAt = Date.now() + RETRY_MS;
    this.set('down', err instanceof Error ? err.message : String(err));
  }

  describe(): { status: ReplicaStatus; lag_ms: number; reason?: string } {
    return this.status === 'ok' ? { status: 'ok', lag_ms: this.lagMs } : { status: this.status, lag_ms: this.lagMs, reason: this.reason };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.store.close(), this.probe.end()]);
  }

  private set(status: ReplicaStatus, reason: string): void {
    const was = this.status;
    this.reason = reason;
    // The first failed probe is news too: a replica may be down from the start.
    if (status === was && (status === 'ok' || this.warned)) return;
    this.status = status;
    if (status === 'ok') {
      if (this.warned) this.log.info(`replica ${this.name} is back in rotation`);
      this.warned = false;
      return;
    }
    if (!this.warned) this.log.warn(`replica ${this.name} is out of rotation (${status}: ${reason}): its reads go to the primary until it is back`);
    this.warned = true;
    if (status === 'down') {
      this.lose(new ReplicaDownError(`replica ${this.name} is down`));
      this.rearm();
    }
  }

  private rearm(): void {
    this.lost = new Promise<never>((_, reject) => { this.lose = reject; });
    this.lost.catch(() => undefined);
  }
}

/** host:port/database, without credentials: for logs, /health/ready and metric labels. */
export function replicaName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'replica';
  }
}
