/** Remembers OAuth nonces for the timestamp window, so a captured request cannot be replayed. */
export interface NonceStore {
  /** Records the nonce; true if it had been seen within ttl already. */
  seen(key: string, ttlMs: number, now: number): Promise<boolean>;
}

export class MemoryNonceStore implements NonceStore {
  private readonly expiries = new Map<string, number>();
  private nextSweep = 0;

  async seen(key: string, ttlMs: number, now: number): Promise<boolean> {
    if (now >= this.nextSweep) this.sweep(now, ttlMs);
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return true;
    this.expiries.set(key, now + ttlMs);
    return false;
  }

  /** Whether the nonce is recorded and not yet expired, without recording it. */
  has(key: string, now: number): boolean {
    if (this.expiries.size === 0) return false;
    const expiry = this.expiries.get(key);
    return expiry !== undefined && expiry > now;
  }

  private sweep(now: number, ttlMs: number): void {
    for (const [key, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(key);
    this.nextSweep = now + Math.max(1000, ttlMs / 4);
  }
}
