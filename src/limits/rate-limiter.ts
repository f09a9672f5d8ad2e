import type { Clock } from '../clock.js';
import type { WindowStore } from './window-store.js';

export const WINDOW_MS = 15 * 60 * 1000;

export interface RateState {
  limit: number;
  remaining: number;
  reset: number; // unix seconds
  exceeded: boolean;
}

/** A shorter window or another limit for some buckets (emulator fault rules); undefined: Twitter's. */
export type WindowOverride = (bucket: string) => { windowMs?: number; limit?: number } | undefined;

/** Twitter's 15-minute buckets, per (user, endpoint) or per (app, endpoint). */
export class RateLimiter {
  override: WindowOverride | null = null;

  constructor(private readonly windows: WindowStore, private readonly clock: Clock, readonly enabled: boolean) {}

  async consume(bucket: string, limit: number): Promise<RateState> {
    const now = this.clock.now();
    const o = this.override?.(bucket);
    const w = await this.windows.hit(bucket, o?.windowMs ?? WINDOW_MS, now);
    const max = o?.limit ?? limit;
    return this.state(max, w.count, w.resetAt, w.count > max && this.enabled);
  }

  async status(bucket: string, limit: number): Promise<RateState> {
    const now = this.clock.now();
    const o = this.override?.(bucket);
    const w = await this.windows.peek(bucket, now);
    const max = o?.limit ?? limit;
    return w ? this.state(max, w.count, w.resetAt, false) : this.state(max, 0, now + (o?.windowMs ?? WINDOW_MS), false);
  }

  private state(limit: number, used: number, resetAt: number, exceeded: boolean): RateState {
    // With limits off nothing is refused, so nothing is "spent": clients that pause or stop
    // paging at remaining 0 (twitter-api-v2's paginators do) must never see it.
    const remaining = this.enabled ? Math.max(0, limit - used) : limit;
    return { limit, remaining, reset: Math.ceil(resetAt / 1000), exceeded };
  }
}
