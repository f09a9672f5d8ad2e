// Builds every service a server or a CLI command needs, from the config.
import { Authenticator } from './auth/authenticate.js';
import { MemoryNonceStore } from './auth/nonce-store.js';
import { MemorySingleUseStore } from './auth/single-use-store.js';
import { systemClock, type Clock } from './clock.js';
import type { ServerConfig } from './config.js';
import { Graph } from './graph/graph.js';
import { Snowflake } from './graph/snowflake.js';
import type { Services } from './http/deps.js';
import { WindowFollowQuota } from './limits/follow-quota.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { MemoryWindowStore } from './limits/window-store.js';
import { openStore } from './store/open-store.js';

export async function createServices(config: ServerConfig, clock: Clock = systemClock): Promise<Services> {
  const store = await openStore(config.db, { synchronous: config.synchronous });
  const windows = new MemoryWindowStore();
  return {
    config,
    clock,
    store,
    graph: new Graph(store, config.follow, new WindowFollowQuota(windows, clock, config.follow)),
    auth: new Authenticator(store, new MemoryNonceStore(), clock, config.timestampSkewSeconds),
    limiter: new RateLimiter(windows, clock, config.rateLimits),
    ids: new Snowflake(clock),
    singleUse: new MemorySingleUseStore(() => clock.now()),
  };
}
