/** Fixed windows that start with their first hit (§10.1); memory here, Redis when shared. */
export interface WindowState {
  count: number;
  resetAt: number; // ms
}

export interface WindowStore {
  /** Counts one hit in the key's current window, opening a new window if the last one ended. */
  hit(key: string, windowMs: number, now: number): Promise<WindowState>;
  /** The current window without counting; null when none is open. */
  peek(key: string, now: number): Promise<WindowState | null>;
}

export class MemoryWindowStore implements WindowStore {
  private readonly windows = new Map<string, WindowState>();
  private nextSweep = 0;

  async hit(key: string, windowMs: number, now: number): Promise<WindowState> {
    if (now >= this.nextSweep) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return { ...w };
  }

  async peek(key: string, now: number): Promise<WindowState | null> {
    const w = this.windows.get(key);
    return w && w.resetAt > now ? { ...w } : null;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    this.nextSweep = now + 60_000;
  }
}
