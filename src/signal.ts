// Something others may watch happen (a commit that recorded events, the clock, the fault rules,
// the usage counts): listeners run after each emit, one throwing never stopping the others. With none, an emit costs one size check, so a model may emit on a hot path.
export class Signal {
  private readonly listeners = new Set<() => void>();

  /** Listens; the returned function stops. */
  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  get watched(): boolean {
    return this.listeners.size > 0;
  }

  emit(): void {
    if (this.listeners.size === 0) return;
    for (const l of [...this.listeners]) {
      try { l(); } catch { /* a listener's failure is its own */ }
    }
  }
}
