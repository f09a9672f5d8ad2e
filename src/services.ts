// Builds every service a server or a CLI command needs, from the config.
import { Authenticator } from './auth/authenticate.js';
import { MemoryNonceStore, type NonceStore } from './auth/nonce-store.js';
import { RedisNonceStore } from './auth/redis-nonce-store.js';
import { RedisSingleUseStore } from './auth/redis-single-use-store.js';
import { MemorySingleUseStore, type SingleUseStore } from './auth/single-use-store.js';
import { systemClock, type Clock } from './clock.js';
import type { ServerConfig } from './config.js';
import { Graph } from './graph/graph.js';
import { Snowflake } from './graph/snowflake.js';
import { WindowFollowQuota } from './limits/follow-quota.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { RedisWindowStore } from './limits/redis-window-store.js';
import { MemoryWindowStore, type WindowStore } from './limits/window-store.js';
import type { RedisLink, Log } from './shared-state/redis.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/types.js';

/** Everything a route or a command may use, built once at start. */
export interface Services {
  config: ServerConfig;
  clock: Clock;
  /** the storage port, for the layers beside the graph (auth, admin, emulator); HTTP reads through `graph.reads` */
  store: Store;
  graph: Graph;
  auth: Authenticator;
  limiter: RateLimiter;
  ids: Snowflake;
  /** authorization codes, request tokens: shared across processes when configured */
  singleUse: SingleUseStore;
  /** the Redis link when REDIS_URL is set (null: state kept in this process's memory) */
  redis: RedisLink | null;
}

export interface ServiceOptions {
  /** where operational warnings go (Redis outages); default: pino on stderr at the configured level */
  log?: Log;
  /** the snowflake worker id (default: from the pid); emulator mode fixes it by seed */
  snowflakeWorker?: bigint;
  /** the clock OAuth timestamps are checked against, when roost's own clock is not the wall's */
  signatureClock?: Clock;
  /** wraps the store before anything uses it (the server times every store call) */
  wrapStore?: (store: Store) => Store;
}

export async function createServices(config: ServerConfig, clock: Clock = systemClock, opts: ServiceOptions = {}): Promise<Services> {
  const opened = await openStore(config.db, { synchronous: config.synchronous, statementTimeoutMs: config.statementTimeoutMs });
  const store = opts.wrapStore ? opts.wrapStore(opened) : opened;
  // With REDIS_URL, what several processes must share lives in Redis; each store keeps a
  // memory fallback for outages. Without it, this process's memory.
  let redis: RedisLink | null = null;
  try {
    // Loaded only when used: ioredis and pino cost a CLI command's start (issue 13).
    if (config.redisUrl !== null) {
      const [{ RedisLink }, { pino }] = await Promise.all([import('./shared-state/redis.js'), import('pino')]);
      redis = await RedisLink.open(config.redisUrl, {
        prefix: config.redisPrefix,
        log: opts.log ?? pino({ level: config.logLevel }, pino.destination(2)),
      });
    }
  } catch (err) {
    await store.close();
    throw err;
  }
  const windows: WindowStore = redis ? new RedisWindowStore(redis) : new MemoryWindowStore();
  const nonces: NonceStore = redis ? new RedisNonceStore(redis) : new MemoryNonceStore();
  const memoryOnce = new MemorySingleUseStore(() => clock.now());
  const singleUse: SingleUseStore = redis ? new RedisSingleUseStore(redis, memoryOnce) : memoryOnce;
  return {
    config,
    clock,
    store,
    graph: new Graph(store, config.follow, new WindowFollowQuota(windows, clock, config.follow)),
    auth: new Authenticator(store, nonces, clock, config.timestampSkewSeconds, opts.signatureClock),
    limiter: new RateLimiter(windows, clock, config.rateLimits),
    ids: new Snowflake(clock, opts.snowflakeWorker),
    singleUse,
    redis,
  };
}

/** Closes the store (letting write transactions in flight finish) and the Redis connection. */
export async function closeServices(s: Services): Promise<void> {
  try {
    await s.store.close();
  } finally {
    await s.redis?.close();
  }
}
