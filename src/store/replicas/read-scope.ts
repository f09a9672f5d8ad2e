// Which API request a store read belongs to. Only reads made inside a scope may go to a replica:
// everything else (authentication, OAuth, pages, commands, start-up) reads the primary, since what
// it decides on (a token, a password, an account's state) must be current.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Lsn } from './lsn.js';

export interface ReadScope {
  /** the calling user, whose own writes its reads must see; null: an app-only caller */
  readonly userId: bigint | null;
  /** the WAL position a replica must have replayed for this caller, once looked up (null: none) */
  need?: Lsn | null;
}

const scopes = new AsyncLocalStorage<ReadScope>();

/** Runs an API handler with its caller known to the store. */
export function withReadScope<T>(userId: bigint | null, work: () => T): T {
  return scopes.run({ userId }, work);
}

export function currentReadScope(): ReadScope | undefined {
  return scopes.getStore();
}
