import type { Caller } from '../auth/authenticate.js';

/**
 * App-only buckets are the app's own. A user's v1.1 buckets are shared across the apps the user
 * authorised (v1.1 §10.1); v2 counts a user's requests per app as well (v2 §4): `perApp`.
 */
export function bucketKey(caller: Caller, rateKey: string, perApp = false): string {
  if (caller.kind === 'app') return `rl:app:${caller.app.id}:${rateKey}`;
  return perApp ? `rl:user:${caller.user.id}:app${caller.app.id}:${rateKey}` : `rl:user:${caller.user.id}:${rateKey}`;
}

/** The limit that applies to this caller, or null if the caller may not use the endpoint. */
export function limitFor(caller: Caller, limits: { userLimit?: number; appLimit: number | null }): number | null {
  return caller.kind === 'app' ? limits.appLimit : limits.userLimit ?? null;
}
