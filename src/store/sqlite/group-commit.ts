// Group commit. Write transactions that queue up while a batch runs go together into the next
// batch: one SQLite transaction in which each runs inside its own SAVEPOINT (a refused one
// rolls back alone), then one COMMIT — one fsync for the whole batch. Nobody is answered
// before that COMMIT returns, so an acknowledged write is a committed one.
// Another process may hold the write lock (a second worker of `serve --workers N`, a CLI
// command, a checkpoint): the writer connection has no busy timeout, and BEGIN IMMEDIATE is
// retried from a timer instead, so the event loop keeps serving reads while it waits and the
// writes that queue up meanwhile join the batch.
import type Database from 'better-sqlite3';

interface Job {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Jobs per batch: bounds how long the last one in a batch waits for the first. */
const MAX_BATCH = 256;
/** How long a batch waits for another process's write lock before its writes fail. */
const LOCK_WAIT_MS = 5000;

const isBusy = (err: unknown) => typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('SQLITE_BUSY');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class GroupCommit {
  private pending: Job[] = [];
  private draining: Promise<void> | null = null;
  /** batches committed and transactions in them, for the benchmark and the logs */
  readonly stats = { batches: 0, transactions: 0 };

  constructor(
    private readonly db: Database.Database,
    private readonly onCommit: () => void = () => undefined,
    /** a batch, or a job in it, ended without its work: what was noted for after the COMMIT is void */
    private readonly onAbort: () => void = () => undefined,
  ) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once every job queued so far has been answered. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        // One turn of the event loop first: requests already read from their sockets reach the
        // queue and join this batch, instead of each waiting out a COMMIT of its own.
        await new Promise((resolve) => setImmediate(resolve));
        const locked = await this.begin();
        const batch = this.pending.splice(0, MAX_BATCH);
        if (locked === true) await this.runBatch(batch);
        else {
          this.onAbort();
          for (const job of batch) job.reject(locked);
        }
      }
    } finally {
      this.draining = null;
    }
  }

  /** BEGIN IMMEDIATE, waiting out another process's write lock; true, or the error that stopped it. */
  private async begin(): Promise<true | unknown> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        this.db.exec('BEGIN IMMEDIATE');
        return true;
      } catch (err) {
        if (!isBusy(err) || Date.now() >= deadline) return err;
      }
      await sleep(1);
    }
  }

  /** Runs the batch in the transaction begin() opened, and commits it. */
  private async runBatch(batch: Job[]): Promise<void> {
    const done: { job: Job; value: unknown }[] = [];
    for (let i = 0; i < batch.length; i++) {
      const job = batch[i]!;
      this.db.exec('SAVEPOINT tx');
      try {
        const value = await job.work();
        this.db.exec('RELEASE tx');
        done.push({ job, value });
      } catch (err) {
        if (!this.db.inTransaction) {
          // SQLite rolled the whole transaction back (I/O error, disk full): nothing the batch
          // wrote is stored, so its finished jobs fail too; the rest go to the next batch.
          this.onAbort();
          for (const d of done) d.job.reject(err);
          job.reject(err);
          this.pending.unshift(...batch.slice(i + 1));
          return;
        }
        this.db.exec('ROLLBACK TO tx');
        this.db.exec('RELEASE tx');
        this.onAbort(); // the job may have noted rows before it failed: note none
        job.reject(err);
      }
    }
    try {
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.onAbort();
      for (const d of done) d.job.reject(err);
      return;
    }
    this.stats.batches++;
    this.stats.transactions += done.length;
    this.onCommit();
    for (const d of done) d.job.resolve(d.value);
  }
}
