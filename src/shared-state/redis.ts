// The connection to Redis that several roost processes share state through, and the rule for
// when it is not there: every operation has an in-process fallback, used while Redis is down,
// so an outage degrades sharing (limits and replay checks become per process) instead of
// failing requests. One warning is logged when an outage starts and one line when it ends.
import { Redis } from 'ioredis';

/** What the link logs through (a pino logger fits). */
export interface Log {
  warn(msg: string): void;
  info(msg: string): void;
}

export interface RedisLinkOptions {
  /** prefix of every key (ioredis keyPrefix) */
  prefix: string;
  log: Log;
  /** a command that has not answered by then counts as a failure (default 500 ms) */
  commandTimeoutMs?: number;
  /** after a failure on a live connection, how long operations skip Redis (default 1000 ms) */
  pauseAfterFailureMs?: number;
}

export class RedisLink {
  readonly client: Redis;
  /** Operations answered by the in-process fallback (for logs and tests). */
  fallbacks = 0;

  private readonly log: Log;
  private readonly pauseMs: number;
  private down = false;
  private pausedUntil = 0;
  private closing = false;

  private constructor(url: string, opts: RedisLinkOptions) {
    this.log = opts.log;
    this.pauseMs = opts.pauseAfterFailureMs ?? 1000;
    this.client = new Redis(url, {
      keyPrefix: opts.prefix,
      // Fail fast instead of queueing: a request must never wait for Redis to come back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs ?? 500,
      connectTimeout: 2000,
      // Reconnect forever, at most every 2 s.
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    });
    this.client.on('error', (err: Error) => this.markDown(err.message));
    this.client.on('close', () => this.markDown('connection closed'));
    this.client.on('ready', () => this.markUp());
  }

  /**
   * Connects, waiting at most `waitMs` (default 2 s) for Redis to answer. Never fails: without Redis the link
   * starts down (one warning) and keeps reconnecting in the background.
   */
  static async open(url: string, opts: RedisLinkOptions & { waitMs?: number }): Promise<RedisLink> {
    const link = new RedisLink(url, opts);
    if (link.client.status !== 'ready') {
      // Ready, or the first attempt failed (refused, unknown host): either way the answer is in.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          link.client.off('ready', done);
          link.client.off('error', done);
          resolve();
        };
        const timer = setTimeout(done, opts.waitMs ?? 2000);
        link.client.once('ready', done);
        link.client.once('error', done);
      });
    }
    if (link.client.status !== 'ready') link.markDown(`no answer from ${redactUrl(url)}`);
    return link;
  }

  /** Whether operations currently go to Redis. */
  get available(): boolean {
    return this.client.status === 'ready' && Date.now() >= this.pausedUntil;
  }

  /**
   * Runs `op` on Redis, or `fallback` in this process when Redis is down, slow or failing.
   * Errors from Redis never reach the caller.
   */
  async run<T>(op: (redis: Redis) => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    if (!this.available) {
      this.fallbacks++;
      return fallback();
    }
    try {
      const result = await op(this.client);
      if (this.down) this.markUp();
      return result;
    } catch (err) {
      // A live connection that fails or times out (a hung server) is skipped for a while, so
      // requests do not each wait out the command timeout.
      this.pausedUntil = Date.now() + this.pauseMs;
      this.markDown(err instanceof Error ? err.message : String(err));
      this.fallbacks++;
      return fallback();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }

  private markDown(reason: string): void {
    if (this.down || this.closing) return;
    this.down = true;
    this.log.warn(`Redis unavailable (${reason}): rate-limit windows, follow quotas, OAuth nonces and single-use values `
      + 'fall back to this process\'s memory until it is back');
  }

  private markUp(): void {
    this.pausedUntil = 0;
    if (!this.down || this.closing) return;
    this.down = false;
    this.log.info('Redis is back: shared rate-limit windows, quotas, nonces and single-use values resume');
  }
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}
