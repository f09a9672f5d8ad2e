// Admission of write transactions, one permit per pooled connection they may use.
//
// Why: SERIALIZABLE transactions abort on conflicts that PostgreSQL sees at index-page
// granularity, so on a small or hot graph unrelated follows abort each other, and plain
// retrying with backoff still loses a few transactions out of thousands. A transaction that has
// failed several times therefore takes every permit and runs alone (in this process), which
// ends its losing streak; retries queue ahead of new work, as they were admitted first.
export class Admission {
  private free: number;
  private readonly waiting: { n: number; resolve: () => void }[] = [];

  constructor(private readonly size: number) {
    this.free = size;
  }

  /** Waits for one permit (or all of them when `alone`); resolves to the release function. */
  async enter(opts: { alone: boolean; retry: boolean }): Promise<() => void> {
    const n = opts.alone ? this.size : 1;
    if (this.waiting.length === 0 && this.free >= n) {
      this.free -= n;
    } else {
      await new Promise<void>((resolve) => {
        if (opts.retry) this.waiting.unshift({ n, resolve });
        else this.waiting.push({ n, resolve });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.free += n;
      this.admit();
    };
  }

  /** Strictly in queue order: a waiting lone transaction holds back everyone behind it. */
  private admit(): void {
    while (this.waiting.length > 0 && this.free >= this.waiting[0]!.n) {
      const next = this.waiting.shift()!;
      this.free -= next.n;
      next.resolve();
    }
  }
}
