// Wake-ups on PostgreSQL: one LISTEN connection per feed, opened when the first listener comes.
// This process's commits wake listeners directly (a Signal); others' arrive as NOTIFYs.
// While someone listens, headSeq is also read every 500 ms: events told by a NOTIFY sent while
// the connection was down still arrive.
import pg from 'pg';
import type { EventFeed, EventLog } from '../../events/types.js';
import type { Signal } from '../../signal.js';

const SAFETY_POLL_MS = 500;
const RECONNECT_MS = 1000;

export class PgEventFeed implements EventFeed {
  private readonly listeners = new Set<() => void>();
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private offLocal: (() => void) | null = null;
  private seen = -1n;
  private closed = false;

  constructor(
    private readonly link: { connectionString: string; channel: string; token: string },
    private readonly log: EventLog,
    private readonly local: Signal,
  ) {}

  onCommitted(listener: () => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.stop();
  }

  private wake(): void {
    for (const l of [...this.listeners]) {
      try { l(); } catch { /* a listener's failure is its own */ }
    }
  }

  private start(): void {
    if (this.closed) return;
    this.offLocal = this.local.on(() => this.wake());
    this.seen = -1n;
    this.timer = setInterval(() => void this.poll(), SAFETY_POLL_MS);
    this.timer.unref();
    void this.connect();
  }

  private stop(): void {
    this.offLocal?.();
    this.offLocal = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    if (client) void client.end().catch(() => undefined);
  }

  private async poll(): Promise<void> {
    const head = await this.log.headSeq().catch(() => this.seen);
    if (this.seen >= 0n && head !== this.seen) this.wake();
    this.seen = head;
    if (!this.client && this.listeners.size > 0) void this.connect();
  }

  private connecting = false;

  private async connect(): Promise<void> {
    if (this.connecting || this.client || this.closed || this.listeners.size === 0) return;
    this.connecting = true;
    const client = new pg.Client({ connectionString: this.link.connectionString });
    const lost = () => {
      if (this.client === client) this.client = null;
      // Reconnects at the next poll; events committed meanwhile are found by it.
      setTimeout(() => void this.connect(), RECONNECT_MS).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (msg) => { if (msg.payload !== this.link.token) this.wake(); });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.link.channel.replace(/"/g, '""')}"`);
      if (this.listeners.size === 0 || this.closed) { await client.end(); return; }
      this.client = client;
      this.wake(); // anything committed while no connection listened
    } catch {
      client.removeListener('end', lost);
      await client.end().catch(() => undefined);
      setTimeout(() => void this.connect(), RECONNECT_MS).unref();
    } finally {
      this.connecting = false;
    }
  }
}
