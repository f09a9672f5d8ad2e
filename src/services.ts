// Builds every service a server or a CLI command needs, from the config.
import { createRequire } from 'node:module';
import { Authenticator } from './auth/authenticate.js';
import { nonceDirFor } from './auth/nonce-dir.js';
import { NonceJournal } from './auth/nonce-journal.js';
import { JournaledNonceStore, MemoryNonceStore, type NonceStore } from './auth/nonce-store.js';
import { RedisNonceStore } from './auth/redis-nonce-store.js';
import { RedisSingleUseStore } from './auth/redis-single-use-store.js';
import { SignInThrottle } from './limits/sign-in-throttle.js';
import { MemorySingleUseStore, type SingleUseStore } from './auth/single-use-store.js';
import { systemClock, type Clock } from './clock.js';
import type { ServerConfig } from './config.js';
import { openEventFeed } from './events/feeds.js';
import { EventRetention } from './events/retention.js';
import type { EventFeed, EventLog } from './events/types.js';
import { Graph } from './graph/graph.js';
import { Snowflake } from './graph/snowflake.js';
import { WindowFollowQuota } from './limits/follow-quota.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { RedisWindowStore } from './limits/redis-window-store.js';
import { MemoryWindowStore, type WindowStore } from './limits/window-store.js';
import type { RedisLink, Log } from './shared-state/redis.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/types.js';
import { createWebhooks } from './webhooks/create.js';
import type { Webhooks } from './webhooks/webhooks.js';

const require = createRequire(import.meta.url);

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
  /** sign-in attempts per account and per address */
  signInThrottle: SignInThrottle;
  /** the Redis link when REDIS_URL is set (null: state kept in this process's memory) */
  redis: RedisLink | null;
  /** webhooks and Account Activity; delivery runs only once a server starts it */
  webhooks: Webhooks;
  /** the event outbox (docs/events.md): read with `log`, woken by `feed` after commits of any process */
  events: { log: EventLog; feed: EventFeed; retention: EventRetention };
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
  // Events are stamped by the same clock and minting as users, so a seeded emulator repeats them.
  const ids = new Snowflake(clock, opts.snowflakeWorker);
  const opened = await openStore(config.db, {
    synchronous: config.synchronous, statementTimeoutMs: config.statementTimeoutMs,
    eventStamp: { now: () => clock.now(), nextId: () => ids.next() },
  });
  const store = opts.wrapStore ? opts.wrapStore(opened) : opened;
  // Made, and pino loaded, on first use: most processes never warn.
  let stderr: Log | undefined;
  const logger = (): Log => {
    if (!stderr) {
      const { pino } = require('pino') as typeof import('pino');
      stderr = pino({ level: config.logLevel }, pino.destination(2));
    }
    return stderr;
  };
  const log: Log = opts.log ?? { warn: (msg) => logger().warn(msg), info: (msg) => logger().info(msg) };
  // With REDIS_URL, what several processes must share lives in Redis; each store keeps a
  // memory fallback for outages. Without it, this process's memory.
  let redis: RedisLink | null = null;
  try {
    // Loaded only when used: ioredis costs a CLI command's start.
    if (config.redisUrl !== null) {
      const { RedisLink } = await import('./shared-state/redis.js');
      redis = await RedisLink.open(config.redisUrl, { prefix: config.redisPrefix, log });
    }
  } catch (err) {
    await store.close();
    throw err;
  }
  const windows: WindowStore = redis ? new RedisWindowStore(redis) : new MemoryWindowStore();
  const nonces = nonceStore(config, redis, opts.signatureClock ?? clock, log);
  const memoryOnce = new MemorySingleUseStore(() => clock.now());
  const singleUse: SingleUseStore = redis ? new RedisSingleUseStore(redis, memoryOnce) : memoryOnce;
  const events = {
    log: store.events,
    feed: openEventFeed(store.events, store.backend, redis, config.redisPrefix),
    retention: new EventRetention(store.events, clock, config.eventRetentionHours).start(),
  };
  return {
    config,
    clock,
    store,
    graph: new Graph(store, config.follow, new WindowFollowQuota(windows, clock, config.follow)),
    auth: new Authenticator(store, nonces, clock, config.timestampSkewSeconds, opts.signatureClock),
    limiter: new RateLimiter(windows, clock, config.rateLimits),
    ids,
    singleUse,
    signInThrottle: new SignInThrottle(windows, clock, config.rateLimits),
    redis,
    events,
    webhooks: createWebhooks(config, store, clock, ids, log, events.feed),
  };
}

/**
 * Redis when configured (shared by every process). Otherwise this process's memory, journaled to
 * disk unless switched off, so a restart (or kill -9) does not forget which requests were seen.
 */
function nonceStore(config: ServerConfig, redis: RedisLink | null, clock: Clock, log: Log): NonceStore {
  const memory = new MemoryNonceStore(config.nonceCap);
  if (redis) return new RedisNonceStore(redis, memory);
  const dir = config.nonceJournal ? nonceDirFor(config.db, config.nonceDir) : null;
  if (dir === null) return memory;
  const now = clock.now();
  let opened: ReturnType<typeof NonceJournal.open>;
  try {
    opened = NonceJournal.open(dir, now);
  } catch (err) {
    // Serving without the journal beats not serving: nonces are still refused until a restart.
    log.warn(`OAuth nonce journal unavailable in ${dir} (${(err as Error).message}): a restart forgets nonces; set ROOST_NONCE_DIR`);
    return memory;
  }
  for (const r of opened.records) memory.recordNow(r.digest.toString('base64url'), r.expiresAt, now);
  return new JournaledNonceStore(memory, opened.journal, (err) =>
    log.warn(`OAuth nonce journal write failed (${err.message}): nonces are kept in memory only until a restart`));
}

/** Closes the event feed, the store (letting write transactions in flight finish), the nonce journal and the Redis connection. */
export async function closeServices(s: Services): Promise<void> {
  await s.webhooks.stop();
  s.auth.close();
  try {
    await s.events.retention.stop();
    await s.events.feed.close();
    await s.store.close();
  } finally {
    await s.redis?.close();
  }
}
