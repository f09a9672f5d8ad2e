// Builds every service a server or a CLI command needs, from the config.
import { createRequire } from 'node:module';
import { Authenticator } from './auth/authenticate.js';
import { nonceDirFor } from './auth/nonce-dir.js';
import { NonceJournal } from './auth/nonce-journal.js';
import { JournaledNonceStore, MemoryNonceStore, type NonceStore } from './auth/nonce-store.js';
import { PrimaryNonceStore, PrimarySingleUseStore, authStateHandlers } from './auth/primary-state-stores.js';
import { RedisNonceStore } from './auth/redis-nonce-store.js';
import { RedisSingleUseStore } from './auth/redis-single-use-store.js';
import { SignInThrottle } from './limits/sign-in-throttle.js';
import { MemorySingleUseStore, type SingleUseStore } from './auth/single-use-store.js';
import { systemClock, type Clock } from './clock.js';
import { ConfigError, type ServerConfig } from './config.js';
import { openEventFeed } from './events/feeds.js';
import { EventRetention } from './events/retention.js';
import type { EventFeed, EventLog } from './events/types.js';
import { Graph } from './graph/graph.js';
import { Snowflake } from './graph/snowflake.js';
import { WindowFollowQuota } from './limits/follow-quota.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { PrimaryWindowStore, windowHandlers } from './limits/primary-window-store.js';
import { RedisWindowStore } from './limits/redis-window-store.js';
import { MemoryWindowStore, type WindowStore } from './limits/window-store.js';
import type { PrimaryLink, StateHandlers } from './shared-state/primary-link.js';
import type { RedisLink, Log } from './shared-state/redis.js';
import { openStore } from './store/open-store.js';
import { withReadScope } from './store/replicas/read-scope.js';
import type { ReplicaSet } from './store/replicas/replica-set.js';
import type { Store } from './store/types.js';
import type { ActivitySubscriptionStore } from './events/activity.js';
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
  /** the PostgreSQL streaming replicas API reads go to (null: none configured) */
  replicas: ReplicaSet | null;
  /** runs an API handler so its reads may go to a replica that has replayed the caller's writes (null: no replicas) */
  readScope: (<T>(userId: bigint | null, work: () => T) => T) | null;
  /** the Activity API's subscriptions (docs/events.md#the-activity-api) */
  activity: ActivitySubscriptionStore;
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
  /** explain OAuth 1.0a refusals (emulator mode's console; src/auth/oauth1-explain.ts) */
  explainAuth?: boolean;
  /** wraps the store before anything uses it (the server times every store call) */
  wrapStore?: (store: Store) => Store;
  /** a worker of `serve --workers N` without Redis: windows, nonces and single-use values live in the primary */
  primary?: PrimaryLink;
}

export async function createServices(config: ServerConfig, clock: Clock = systemClock, opts: ServiceOptions = {}): Promise<Services> {
  if (config.replicas.urls.length > 0 && !/^postgres(ql)?:\/\//.test(config.db)) {
    throw new ConfigError('ROOST_DB_REPLICAS needs a PostgreSQL database (--db postgres://...)');
  }
  // Events are stamped by the same clock and minting as users, so a seeded emulator repeats them.
  const ids = new Snowflake(clock, opts.snowflakeWorker);
  const primary = await openStore(config.db, {
    synchronous: config.synchronous, statementTimeoutMs: config.statementTimeoutMs,
    eventStamp: { now: () => clock.now(), nextId: () => ids.next() },
  });
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
    await primary.close();
    throw err;
  }
  let replicas: ReplicaSet | null = null;
  let opened = primary;
  if (config.replicas.urls.length > 0) {
    try {
      ({ replicas, store: opened } = await withReplicas(primary, config, redis, log));
    } catch (err) {
      await primary.close();
      await redis?.close();
      throw err;
    }
  }
  const store = opts.wrapStore ? opts.wrapStore(opened) : opened;
  const link = redis ? null : opts.primary ?? null;
  const windows: WindowStore = redis ? new RedisWindowStore(redis) : link ? new PrimaryWindowStore(link) : new MemoryWindowStore();
  const nonces = link ? new PrimaryNonceStore(link) : nonceStore(config, redis, opts.signatureClock ?? clock, log);
  const memoryOnce = new MemorySingleUseStore(() => clock.now());
  const singleUse: SingleUseStore = redis ? new RedisSingleUseStore(redis, memoryOnce) : link ? new PrimarySingleUseStore(link) : memoryOnce;
  const events = {
    // Always the primary's log: readers number what has committed (pg-events.ts), which a replica cannot.
    log: primary.events,
    feed: openEventFeed(primary.events, primary.backend, redis, config.redisPrefix),
    retention: new EventRetention(primary.events, clock, config.eventRetentionHours).start(),
  };
  return {
    config,
    clock,
    store,
    graph: new Graph(store, config.follow, new WindowFollowQuota(windows, clock, config.follow)),
    auth: new Authenticator(store, nonces, clock, config.timestampSkewSeconds, opts.signatureClock, opts.explainAuth ?? false),
    limiter: new RateLimiter(windows, clock, config.rateLimits),
    ids,
    singleUse,
    signInThrottle: new SignInThrottle(windows, clock, config.rateLimits),
    redis,
    replicas,
    readScope: replicas ? withReadScope : null,
    events,
    activity: primary.activity, // subscriptions are read right after they change: the primary
    webhooks: createWebhooks(config, primary, clock, ids, log, events.feed),
  };
}

/** The store that sends API reads to the replicas; loaded only when replicas are configured. */
async function withReplicas(primary: Store, config: ServerConfig, redis: RedisLink | null, log: Log) {
  const [{ ReplicaSet }, { CallerPositions }, { replicatedStore }] = await Promise.all([
    import('./store/replicas/replica-set.js'), import('./store/replicas/caller-positions.js'), import('./store/replicas/replicated-store.js'),
  ]);
  const r = config.replicas;
  const replicas = await ReplicaSet.open({
    primaryUrl: config.db, urls: r.urls, waitMs: r.waitMs, maxLagMs: r.maxLagMs, timeoutMs: r.timeoutMs,
    statementTimeoutMs: config.statementTimeoutMs, log,
  });
  // A caller's position outlives the greatest lag a replica in rotation may have.
  const positions = new CallerPositions(r.maxLagMs + 1000, redis);
  return { replicas, store: replicatedStore(primary, replicas, positions) };
}

/**
 * What the primary of `serve --workers N` keeps for its workers when there is no Redis: the same
 * memory stores (and nonce journal) one process would keep for itself.
 */
export function primaryState(config: ServerConfig, log: Log): { handlers: StateHandlers; close: () => void } {
  const nonces = nonceStore(config, null, systemClock, log);
  return {
    handlers: { ...windowHandlers(new MemoryWindowStore()), ...authStateHandlers(nonces, new MemorySingleUseStore()) },
    close: () => nonces.close(),
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
