// Remembers OAuth 1.0a nonces while their timestamp is acceptable, so a captured request cannot be
// replayed. What is kept is a 128-bit digest of (consumer key, token, nonce), never the client's
// text, so every entry costs the same whatever the client sent.
import { createHash } from 'node:crypto';
import { DEFAULT_NONCE_CAP } from '../config.js';

/** Nonces longer than this are refused before anything is stored (clients send 32-64 characters). */
export const MAX_NONCE_LENGTH = 128;
export const DIGEST_BYTES = 16;

/** The stored form of a nonce: 16 bytes of SHA-256 over its consumer key, token and text. */
export function nonceDigest(consumerKey: string, token: string, nonce: string): Buffer {
  return createHash('sha256').update(`${consumerKey}\n${token}\n${nonce}`).digest().subarray(0, DIGEST_BYTES);
}

/** `new`: recorded now; `seen`: a replay; `full`: the store is at its cap and refuses to grow. */
export type NonceAnswer = 'new' | 'seen' | 'full';

export interface NonceStore {
  /** Records the digest until `expiresAt` (ms), unless it is already recorded and unexpired. */
  record(digest: Buffer, expiresAt: number, now: number): Promise<NonceAnswer>;
  close(): void;
}

/** This process's nonces, at most `cap` of them. */
export class MemoryNonceStore implements NonceStore {
  private readonly expiries = new Map<string, number>();
  private lastSweep = 0;

  constructor(private readonly cap = DEFAULT_NONCE_CAP) {}

  get size(): number {
    return this.expiries.size;
  }

  async record(digest: Buffer, expiresAt: number, now: number): Promise<NonceAnswer> {
    return this.recordNow(digest.toString('base64url'), expiresAt, now);
  }

  recordNow(key: string, expiresAt: number, now: number): NonceAnswer {
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return 'seen';
    // A sweep walks every entry: once a minute, or once a second while full.
    if (now - this.lastSweep >= (this.expiries.size >= this.cap ? 1000 : 60_000)) this.sweep(now);
    // Full: refusing new nonces keeps memory bounded; forgetting old ones would reopen replay.
    if (expiry === undefined && this.expiries.size >= this.cap) return 'full';
    this.expiries.set(key, expiresAt);
    return 'new';
  }

  /** Whether the digest is recorded and unexpired, without recording it. */
  has(digest: Buffer, now: number): boolean {
    if (this.expiries.size === 0) return false;
    const expiry = this.expiries.get(digest.toString('base64url'));
    return expiry !== undefined && expiry > now;
  }

  close(): void {}

  private sweep(now: number): void {
    for (const [key, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(key);
    this.lastSweep = now;
  }
}

interface Journal {
  append(digest: Buffer, expiresAt: number, now: number): void;
  close(): void;
}

/** The memory store, with every new nonce also written to a journal that outlives the process. */
export class JournaledNonceStore implements NonceStore {
  private journal: Journal | null;

  /** `onFailure` hears of the first failed write (a full disk, say); the journal is dropped then. */
  constructor(private readonly memory: MemoryNonceStore, journal: Journal, private readonly onFailure: (err: Error) => void) {
    this.journal = journal;
  }

  async record(digest: Buffer, expiresAt: number, now: number): Promise<NonceAnswer> {
    const answer = this.memory.recordNow(digest.toString('base64url'), expiresAt, now);
    // Written before the request goes on, so a reply never leaves for a nonce a restart would forget.
    if (answer === 'new' && this.journal) {
      try {
        this.journal.append(digest, expiresAt, now);
      } catch (err) {
        this.close();
        this.onFailure(err as Error);
      }
    }
    return answer;
  }

  close(): void {
    const journal = this.journal;
    this.journal = null;
    try {
      journal?.close();
    } catch {
      // closing a descriptor that failed to write: nothing left to do
    }
  }
}
