// The EventFeed a process holds: its store's (this process's commits at once, other processes'
// through LISTEN/NOTIFY or a poll of the log), and Redis pub/sub across processes when REDIS_URL
// is set. A wake-up is a hint, so feeds are merged without caring for duplicates.
import type { Redis } from 'ioredis';
import type { EventFeed } from './types.js';
import type { StoreEventLog } from '../store/types.js';
import type { RedisLink } from '../shared-state/redis.js';

/** With Redis telling other SQLite processes' commits, the log is polled only as a safety net. */
const POLL_BEHIND_REDIS_MS = 1000;

export function openEventFeed(log: StoreEventLog, backend: 'sqlite' | 'postgres', redis: RedisLink | null, prefix: string): EventFeed {
  // PostgreSQL's LISTEN reaches every process on the database already.
  if (backend === 'postgres' || redis === null) return log.openFeed();
  return mergeFeeds([log.openFeed({ pollMs: POLL_BEHIND_REDIS_MS }), new RedisEventFeed(log, redis, `${prefix}events`)]);
}

export function mergeFeeds(feeds: readonly EventFeed[]): EventFeed {
  return {
    onCommitted(listener) {
      const offs = feeds.map((f) => f.onCommitted(listener));
      return () => { for (const off of offs) off(); };
    },
    async close() { await Promise.all(feeds.map((f) => f.close())); },
  };
}

/**
 * Publishes after each of this process's commits that recorded events (at most one PUBLISH in
 * flight; commits during it are told by one more) and, while someone listens, subscribes on a
 * connection of its own. Messages this process sent are skipped: its commits woke it already.
 */
export class RedisEventFeed implements EventFeed {
  private readonly token = `${process.pid}.${Math.random().toString(36).slice(2)}`;
  private readonly listeners = new Set<() => void>();
  private readonly offLocal: () => void;
  private subscriber: Redis | null = null;
  private publishing: Promise<void> | null = null;
  private again = false;

  constructor(log: StoreEventLog, private readonly redis: RedisLink, private readonly channel: string) {
    this.offLocal = log.onLocalCommit(() => this.publish());
  }

  onCommitted(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.subscriber) this.subscribe();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.unsubscribe();
    };
  }

  async close(): Promise<void> {
    this.offLocal();
    this.listeners.clear();
    this.unsubscribe();
    await this.publishing; // a command's last commit still reaches the servers
  }

  private publish(): void {
    if (this.publishing) { this.again = true; return; }
    const send = async (): Promise<void> => {
      do {
        this.again = false;
        await this.redis.run((r) => r.publish(this.channel, this.token), () => 0);
      } while (this.again);
    };
    this.publishing = send().finally(() => { this.publishing = null; });
  }

  private subscribe(): void {
    // ioredis's key prefix does not apply to channels: the channel carries it already.
    const sub = this.redis.client.duplicate({ enableOfflineQueue: true });
    sub.on('error', () => undefined); // reconnects on its own; the store's feed covers the gap
    sub.on('message', (_channel: string, message: string) => {
      if (message === this.token) return;
      for (const l of [...this.listeners]) {
        try { l(); } catch { /* a listener's failure is its own */ }
      }
    });
    void sub.subscribe(this.channel).catch(() => undefined);
    this.subscriber = sub;
  }

  private unsubscribe(): void {
    this.subscriber?.disconnect();
    this.subscriber = null;
  }
}
