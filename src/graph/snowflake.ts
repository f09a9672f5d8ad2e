import type { Clock } from '../clock.js';

// Twitter's snowflake layout: 41 bits of ms since its epoch, 10 bits of worker, 12 of sequence.
// Every id minted today is far above 2^53, so clients that lose precision fail visibly.
export const TWITTER_EPOCH = 1288834974657n;

/** The id minted at `ms` by `worker` with `sequence`. */
export const snowflakeAt = (ms: number, worker: number, sequence = 0): bigint =>
  ((BigInt(ms) - TWITTER_EPOCH) << 22n) | (BigInt(worker & 0x3ff) << 12n) | BigInt(sequence & 0xfff);

/**
 * When an id was minted, or null for ids from before snowflakes (sequential ids, all below 2^42
 * when Twitter switched, which would decode to the epoch's first quarter hour).
 */
export function snowflakeTime(id: bigint): number | null {
  return id < 1n << 42n ? null : Number((id >> 22n) + TWITTER_EPOCH);
}

export class Snowflake {
  private lastMs = -1n;
  private sequence = 0n;

  constructor(private readonly clock: Clock, private readonly worker = BigInt(process.pid % 1024)) {}

  next(): bigint {
    let ms = BigInt(this.clock.now());
    if (ms < this.lastMs) ms = this.lastMs; // never go backwards with the wall clock
    if (ms === this.lastMs) {
      this.sequence = (this.sequence + 1n) & 0xfffn;
      if (this.sequence === 0n) ms = this.lastMs + 1n; // sequence exhausted: borrow the next ms
    } else {
      this.sequence = 0n;
    }
    this.lastMs = ms;
    return ((ms - TWITTER_EPOCH) << 22n) | (this.worker << 12n) | this.sequence;
  }

  /** The id minted last, or null before the first; mints nothing. */
  last(): bigint | null {
    return this.lastMs < 0n ? null : ((this.lastMs - TWITTER_EPOCH) << 22n) | (this.worker << 12n) | this.sequence;
  }

  /**
   * Mints only ids above `id` from now on: for a database restored with ids this object did not
   * mint, perhaps under another worker number. Its ms counts as used up, so the next id is at
   * least one ms later, whatever the worker bits.
   */
  resumeAfter(id: bigint): void {
    const ms = (id >> 22n) + TWITTER_EPOCH;
    if (ms >= this.lastMs) {
      this.lastMs = ms;
      this.sequence = 0xfffn;
    }
  }
}
