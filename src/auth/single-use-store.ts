/**
 * Short-lived single-use values: OAuth 2.0 authorization codes, OAuth 1.0a request tokens and
 * verifiers. In memory here; shared across processes when a Redis-backed one is configured.
 */
export interface SingleUseStore {
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /** Reads without consuming. */
  get(key: string): Promise<string | null>;
  /** Reads and deletes at once, so a value is honoured at most once. */
  take(key: string): Promise<string | null>;
}

export class MemorySingleUseStore implements SingleUseStore {
  private readonly values = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    this.sweep();
    this.values.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  async get(key: string): Promise<string | null> {
    const v = this.values.get(key);
    if (!v || v.expiresAt <= this.now()) return null;
    return v.value;
  }

  async take(key: string): Promise<string | null> {
    const v = await this.get(key);
    this.values.delete(key);
    return v;
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, v] of this.values) if (v.expiresAt <= now) this.values.delete(k);
  }
}
