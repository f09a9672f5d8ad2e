import type { Caller } from '../auth/authenticate.js';
import type { Clock } from '../clock.js';
import { bucketKey, limitFor, type RateLimited } from './buckets.js';
import type { WindowStore } from './window-store.js';

export const WINDOW_MS = 15 * 60 * 1000;

export interface RateState {
  limit: number;
  remaining: number;
  reset: number; // unix seconds
  exceeded: boolean;
}

/**
 * A shorter window or another limit for one caller on one endpoint (emulator window rules);
 * undefined: Twitter's.
 */
export type WindowRule = (caller: Caller, endpoint: RateLimited) => { windowMs?: number; limit?: number } | undefined;

/** Twitter's 15-minute buckets, per (user, endpoint) or per (app, endpoint). */
export class RateLimiter {
  windowRule: WindowRule | null = null;

  constructor(private readonly windows: WindowStore, private readonly clock: Clock, readonly enabled: boolean) {}

  /** Counts one request; `limit` is the endpoint's limit for this caller (limitFor). */
  async consume(caller: Caller, e: RateLimited, limit: number): Promise<RateState> {
    const now = this.clock.now();
    const o = this.windowRule?.(caller, e);
    const w = await this.windows.hit(bucketKey(caller, e.rateKey, e.perApp), o?.windowMs ?? WINDOW_MS, now);
    const max = o?.limit ?? limit;
    return this.state(max, w.count, w.resetAt, w.count > max && this.enabled);
  }

  /** The caller's window on an endpoint without counting; null when the caller may not use it. */
  async status(caller: Caller, e: RateLimited): Promise<RateState | null> {
    const limit = limitFor(caller, e);
    if (limit === null) return null;
    const now = this.clock.now();
    const o = this.windowRule?.(caller, e);
    const w = await this.windows.peek(bucketKey(caller, e.rateKey, e.perApp), now);
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
