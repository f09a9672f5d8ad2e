import type { Clock } from '../clock.js';
import type { WindowStore } from './window-store.js';

export const WINDOW_MS = 15 * 60 * 1000;

export interface RateState {
  limit: number;
  remaining: number;
  reset: number; // unix seconds
  exceeded: boolean;
}

/** Twitter's 15-minute buckets, per (user, endpoint) or per (app, endpoint). */
export class RateLimiter {
  constructor(private readonly windows: WindowStore, private readonly clock: Clock, readonly enabled: boolean) {}

  async consume(bucket: string, limit: number): Promise<RateState> {
    const now = this.clock.now();
    const w = await this.windows.hit(bucket, WINDOW_MS, now);
    return this.state(limit, w.count, w.resetAt, w.count > limit && this.enabled);
  }

  async status(bucket: string, limit: number): Promise<RateState> {
    const now = this.clock.now();
    const w = await this.windows.peek(bucket, now);
    return w ? this.state(limit, w.count, w.resetAt, false) : this.state(limit, 0, now + WINDOW_MS, false);
  }

  private state(limit: number, used: number, resetAt: number, exceeded: boolean): RateState {
    // With limits off nothing is refused, so nothing is "spent": clients that pause or stop
    // paging at remaining 0 (twitter-api-v2's paginators do) must never see it.
    const remaining = this.enabled ? Math.max(0, limit - used) : limit;
    return { limit, remaining, reset: Math.ceil(resetAt / 1000), exceeded };
  }
}
