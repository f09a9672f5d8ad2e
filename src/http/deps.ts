import type { Authenticator } from '../auth/authenticate.js';
import type { SignInThrottle } from '../auth/sign-in-throttle.js';
import type { SingleUseStore } from '../auth/single-use-store.js';
import type { Clock } from '../clock.js';
import type { ServerConfig } from '../config.js';
import type { Graph } from '../graph/graph.js';
import type { Snowflake } from '../graph/snowflake.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { RedisLink } from '../shared-state/redis.js';
import type { Store } from '../store/types.js';

/** Everything a route may use, built once at start. */
export interface Services {
  config: ServerConfig;
  clock: Clock;
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
}
