// WAL checkpoints off the request path. The writer connection runs with wal_autocheckpoint=0
// (no COMMIT ever pays for a checkpoint); a worker thread checkpoints on a timer instead
// (checkpoint-worker.mjs). Started on the first commit, so read-only openings cost nothing.
import { Worker } from 'node:worker_threads';

export interface CheckpointOptions {
  synchronous: 'NORMAL' | 'FULL';
  /** how often the worker checkpoints, ms */
  intervalMs?: number;
  /** no commit for this long counts as idle: the WAL is truncated, ms */
  idleMs?: number;
  /** a WAL larger than this is truncated even while writes go on, bytes */
  truncateBytes?: number;
}

export class Checkpointer {
  private worker: Worker | null = null;
  private failed = false;
  private readonly lastCommit = new SharedArrayBuffer(8);
  private readonly lastCommitMs = new Float64Array(this.lastCommit);

  constructor(private readonly path: string, private readonly o: CheckpointOptions) {}

  /** Called after every COMMIT. */
  committed(): void {
    this.lastCommitMs[0] = Date.now();
    if (this.worker || this.failed || this.path === ':memory:') return;
    this.worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), {
      workerData: {
        path: this.path,
        synchronous: this.o.synchronous,
        intervalMs: this.o.intervalMs ?? 200,
        idleMs: this.o.idleMs ?? 1000,
        truncateBytes: this.o.truncateBytes ?? 64 * 1024 * 1024,
        lastCommit: this.lastCommit,
      },
    });
    this.worker.unref();
    // A checkpointer that cannot run fails no request: SQLite then checkpoints when the store
    // closes, and the WAL grows until then.
    this.worker.on('error', () => {
      this.worker = null;
      this.failed = true;
    });
  }

  async stop(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.worker = null;
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      w.once('message', done);
      w.once('exit', done);
      w.once('error', done);
      w.postMessage('stop');
    });
    await w.terminate();
  }
}
