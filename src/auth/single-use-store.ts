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

/**
 * In memory. A put is O(1): each key is also filed under the second it expires in, and a sweep
 * (at most once a second) empties the buckets of the seconds that have passed, so its cost is
 * what expired, not what is stored.
 */
export class MemorySingleUseStore implements SingleUseStore {
  private readonly values = new Map<string, { value: string; expiresAt: number }>();
  private readonly buckets = new Map<number, string[]>();
  private sweptTo: number | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.values.size;
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    const now = this.now();
    this.sweep(now);
    const expiresAt = now + ttlMs;
    this.values.set(key, { value, expiresAt });
    const second = Math.max(Math.ceil(expiresAt / 1000), this.sweptTo! + 1);
    const bucket = this.buckets.get(second);
    if (bucket) bucket.push(key);
    else this.buckets.set(second, [key]);
  }

  async get(key: string): Promise<string | null> {
    return this.live(key);
  }

  async take(key: string): Promise<string | null> {
    // Read and deleted with no await between: two takes racing (two requests, or two workers'
    // calls answered by the primary) cannot both get the value.
    const v = this.live(key);
    this.values.delete(key);
    return v;
  }

  private live(key: string): string | null {
    const v = this.values.get(key);
    if (!v || v.expiresAt <= this.now()) return null;
    return v.value;
  }

  private sweep(now: number): void {
    const second = Math.floor(now / 1000);
    if (this.sweptTo === null) this.sweptTo = second;
    if (second <= this.sweptTo) return;
    // After a long pause (or a clock moved ahead) walking the buckets beats walking the seconds.
    const seconds = second - this.sweptTo <= this.buckets.size
      ? Array.from({ length: second - this.sweptTo }, (_, i) => this.sweptTo! + 1 + i)
      : [...this.buckets.keys()].filter((s) => s <= second);
    for (const s of seconds) {
      for (const key of this.buckets.get(s) ?? []) {
        const v = this.values.get(key);
        // A key put again since then expires later and sits in a later bucket too.
        if (v && v.expiresAt <= now) this.values.delete(key);
      }
      this.buckets.delete(s);
    }
    this.sweptTo = second;
  }
}
