import type { Caller } from '../auth/authenticate.js';

/** Users' buckets are shared across apps; app-only buckets are the app's own (§10.1). */
export function bucketKey(caller: Caller, rateKey: string): string {
  return caller.kind === 'app' ? `rl:app:${caller.app.id}:${rateKey}` : `rl:user:${caller.user.id}:${rateKey}`;
}

/** The limit that applies to this caller, or null if the caller may not use the endpoint. */
export function limitFor(caller: Caller, limits: { userLimit?: number; appLimit: number | null }): number | null {
  return caller.kind === 'app' ? limits.appLimit : limits.userLimit ?? null;
}
