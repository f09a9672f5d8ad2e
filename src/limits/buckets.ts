import type { Caller } from '../auth/authenticate.js';

/** What the limiter needs of an endpoint (the endpoint tables declare it). */
export interface RateLimited {
  /** the bucket's name: v1.1's key in application/rate_limit_status, `METHOD /path` in v2 */
  rateKey: string;
  /** a user's requests count per app as well (v2 §4); v1.1 shares them across apps (v1.1 §10.1) */
  perApp: boolean;
  /** requests per 15-minute window per user */
  userLimit?: number;
  /** per app under app-only auth; null: app-only callers are refused */
  appLimit: number | null;
}

/** App-only buckets are the app's own; a user's are the user's, per app where `perApp`. */
export function bucketKey(caller: Caller, rateKey: string, perApp: boolean): string {
  if (caller.kind === 'app') return `rl:app:${caller.app.id}:${rateKey}`;
  return perApp ? `rl:user:${caller.user.id}:app${caller.app.id}:${rateKey}` : `rl:user:${caller.user.id}:${rateKey}`;
}

/** The limit that applies to this caller, or null if the caller may not use the endpoint. */
export function limitFor(caller: Caller, limits: { userLimit?: number; appLimit: number | null }): number | null {
  return caller.kind === 'app' ? limits.appLimit : limits.userLimit ?? null;
}
