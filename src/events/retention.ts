// Deletes events past the retention period in small batches, so a sweep never holds the writer
// (SQLite) or a long transaction (PostgreSQL) for more than a moment.
import type { Clock } from '../clock.js';
import type { StoreEventLog } from '../store/types.js';

const BATCH = 500;
/** Between sweeps; the first comes a minute after start, so short commands never run one. */
const EVERY_MS = 10 * 60_000;
const FIRST_AFTER_MS = 60_000;

export class EventRetention {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(private readonly log: StoreEventLog, private readonly clock: Clock, private readonly hours: number) {}

  start(): this {
    const tick = () => { void this.sweep().catch(() => undefined); this.timer = setTimeout(tick, EVERY_MS).unref(); };
    this.timer = setTimeout(tick, FIRST_AFTER_MS).unref();
    return this;
  }

  /** Deletes every event older than the retention period, a batch at a time; how many. */
  sweep(): Promise<number> {
    this.sweeping ??= (async () => {
      const before = this.clock.now() - this.hours * 3_600_000;
      let total = 0;
      for (let n = BATCH; n === BATCH;) {
        n = await this.log.deleteOlderThan(before, BATCH);
        total += n;
        // let requests run between batches
        await new Promise((resolve) => setImmediate(resolve));
      }
      return total;
    })().finally(() => { this.sweeping = null; });
    return this.sweeping;
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.sweeping?.catch(() => undefined);
  }
}
