// OAuth nonces and single-use values (OAuth 2.0 codes, request tokens, verifiers) of
// `serve --workers N` without Redis: kept by the primary (shared-state/primary-link.ts), which
// answers one call at a time, so a nonce is new once and a code is taken once across workers.
import type { PrimaryLink, StateHandlers } from '../shared-state/primary-link.js';
import type { NonceAnswer, NonceStore } from './nonce-store.js';
import type { SingleUseStore } from './single-use-store.js';

export class PrimaryNonceStore implements NonceStore {
  constructor(private readonly link: PrimaryLink) {}

  record(digest: Buffer, expiresAt: number, now: number): Promise<NonceAnswer> {
    return this.link.call('nonce.record', [digest.toString('base64url'), expiresAt, now]);
  }

  close(): void {}
}

export class PrimarySingleUseStore implements SingleUseStore {
  constructor(private readonly link: PrimaryLink) {}

  put(key: string, value: string, ttlMs: number): Promise<void> {
    return this.link.call('once.put', [key, value, ttlMs]);
  }

  get(key: string): Promise<string | null> {
    return this.link.call('once.get', [key]);
  }

  take(key: string): Promise<string | null> {
    return this.link.call('once.take', [key]);
  }
}

/** The primary's side: the calls above, answered from its own stores. */
export function authStateHandlers(nonces: NonceStore, once: SingleUseStore): StateHandlers {
  return {
    'nonce.record': (digest: string, expiresAt: number, now: number) => nonces.record(Buffer.from(digest, 'base64url'), expiresAt, now),
    'once.put': async (key: string, value: string, ttlMs: number) => { await once.put(key, value, ttlMs); return null; },
    'once.get': (key: string) => once.get(key),
    'once.take': (key: string) => once.take(key),
  };
}
