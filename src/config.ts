// The one place that reads the environment. Values are validated here and fail at start
// with a message that names the setting; nothing else reads process.env.
import { isIP } from 'node:net';
import { DEFAULT_FOLLOW_POLICY, type FollowPolicy } from './graph/follow-policy.js';

/** OWASP's minimum scrypt cost for passwords (N=2^17, with r=8, p=1). */
export const DEFAULT_SCRYPT_N = 2 ** 17;
/** OAuth 1.0a nonce digests one process keeps by default: about 85 MB, 1,600 signed requests a second for the 10-minute window. */
export const DEFAULT_NONCE_CAP = 1_000_000;

export interface ServerConfig {
  port: number;
  host: string;
  db: string;
  /** public base URL clients use (e.g. https://roost.example); signatures over it are accepted */
  publicUrl: string | null;
  /** believe X-Forwarded-Proto / X-Forwarded-Host from a TLS proxy in front */
  trustProxy: boolean;
  rateLimits: boolean;
  timestampSkewSeconds: number;
  /** OAuth 1.0a nonces one process remembers at most; beyond it signed requests are refused (docs/security.md) */
  nonceCap: number;
  /** keep nonces across restarts in a journal directory (without Redis) */
  nonceJournal: boolean;
  /** that directory; null: beside the SQLite file, or under ~/.local/share/roost for PostgreSQL */
  nonceDir: string | null;
  /** scrypt cost (N) of new and upgraded password hashes; lower only for tests */
  scryptN: number;
  follow: FollowPolicy;
  synchronous: 'NORMAL' | 'FULL';
  logLevel: string;
  /** Redis holding what several roost processes share (rate-limit windows, nonces, follow quotas, single-use values); null: this process's memory */
  redisUrl: string | null;
  /** prefix of every key roost writes in Redis, so deployments (and test runs) can share one */
  redisPrefix: string;
  /** processes `serve` runs (node:cluster), sharing the port */
  workers: number;
  /** PostgreSQL statement_timeout of every connection, ms */
  statementTimeoutMs: number;
  /** PostgreSQL streaming replicas API reads go to (docs/scaling.md); empty: every read on the primary */
  replicas: ReplicaSettings;
  /** how long a stopping server waits for requests in flight before it exits anyway, ms */
  shutdownTimeoutMs: number;
  /** emulator mode (admin routes, fixtures, faults, a controlled clock; docs/emulator.md); null: off */
  emulator: EmulatorConfig | null;
  /** sizes and timeouts that keep slow or oversized clients from holding the server (docs/operations.md) */
  limits: HttpLimits;
  /** where GET /metrics is served, and whether it needs a token */
  metrics: MetricsSettings;
  /** the main port speaks HTTPS with roost's certificate for the Twitter host names */
  tls: boolean;
  /** port of the CONNECT proxy that answers the Twitter hosts itself; null: no proxy */
  proxyPort: number | null;
  /** where roost's CA lives; null: beside the database (see src/tls/ca-dir.ts) */
  caDir: string | null;
  /** webhook delivery (docs/events.md) */
  webhooks: WebhookSettings;
  /** events older than this many hours are deleted (ROOST_EVENT_RETENTION_HOURS, default a week) */
  eventRetentionHours: number;
  /** the web console outside emulator mode (docs/console.md) */
  console: ConsoleSettings;
  /** the Activity API's stream (docs/events.md) */
  activity: ActivitySettings;
}

export interface ConsoleSettings {
  /** ROOST_CONSOLE_TOKEN: the console is served only when set (emulator mode uses the admin token) */
  token: string | null;
  /** its own port (`serve --console-port`, ROOST_CONSOLE_PORT); null: on the API port */
  port: number | null;
  /** where its own port binds; loopback unless ROOST_CONSOLE_HOST (with --console-expose) says otherwise */
  host: string;
  /** may bind an address other than loopback */
  expose: boolean;
}

export interface ActivitySettings {
  /** a "\r\n" on an open stream after this long without a line, ms (X: 20 s) */
  keepAliveMs: number;
  /** open streams one app may hold on one process */
  streamsPerApp: number;
  /** subscriptions one app may hold */
  subscriptionsPerApp: number;
}

export interface WebhookSettings {
  /** how often every webhook's CRC is checked again, ms */
  crcIntervalMs: number;
  /** how long a receiver has to answer a CRC check, and a delivery, ms */
  crcTimeoutMs: number;
  timeoutMs: number;
  /** retry backoff bounds, ms (doubling, with jitter) */
  retryMinMs: number;
  retryMaxMs: number;
  /** webhooks delivered to at once by one process */
  concurrency: number;
  /** how long a process holds a webhook's delivery lease without renewing it, ms */
  leaseMs: number;
  /** how often the event log is read when no wake-up comes, ms */
  pollMs: number;
  maxPerApp: number;
  /** Account Activity subscriptions an app may hold across its webhooks */
  maxSubscriptions: number;
  /** CIDRs and host names a webhook may name besides public addresses; ['*']: any */
  allow: string[];
}

export interface EmulatorConfig {
  /** seeds ids, tokens and fault probabilities */
  seed: number;
  clock: 'frozen' | 'real';
  /** the admin routes' bearer token; null: a random one, printed at start */
  adminToken: string | null;
  /** a fixture file loaded at start and on every reset */
  fixture: string | null;
  /** true: a fresh SQLite file in a temporary directory; false: `db` names the file the emulator empties and owns */
  tempDb: boolean;
  /** may bind an address other than loopback (`--expose`, ROOST_EMULATOR_EXPOSE); absent: no */
  expose?: boolean;
}

export interface ReplicaSettings {
  urls: string[];
  /** how long a caller's read waits for a replica to replay that caller's last write before reading the primary, ms */
  waitMs: number;
  /** a replica further behind the primary than this leaves the rotation until it catches up, ms */
  maxLagMs: number;
  /** connecting to, and answering the health probe of, a replica; beyond it the replica is down, ms */
  timeoutMs: number;
}

export interface HttpLimits {
  bodyBytes: number;
  headerBytes: number;
  /** query and form parameters of one request */
  maxParams: number;
  /** time to receive a request's headers, ms */
  headersTimeoutMs: number;
  /** time to receive a whole request, ms */
  requestTimeoutMs: number;
  /** an idle socket (no bytes either way) is closed after this, ms */
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** requests one keep-alive connection may carry before it is closed; 0: no limit */
  maxRequestsPerSocket: number;
}

export interface MetricsSettings {
  enabled: boolean;
  /** when set, /metrics needs `Authorization: Bearer <token>` */
  token: string | null;
  /** when set, /metrics is served on this port (and host) instead of the API port */
  port: number | null;
  host: string;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new ConfigError(`${name} must be a whole number >= ${min}, got "${raw}"`);
  return Number(raw);
}

/** A limit that "off" disables. */
function limit(env: Env, name: string, fallback: number | null): number | null {
  const raw = env[name];
  if (raw === 'off') return null;
  return raw === undefined || raw === '' ? fallback : int(env, name, 0, 1);
}

/** ROOST_SCRYPT_N: a power of two from 2^10 to 2^20; default OWASP's minimum, 2^17. */
function scryptN(env: Env): number {
  const n = int(env, 'ROOST_SCRYPT_N', DEFAULT_SCRYPT_N, 1024);
  if (n > 2 ** 20 || (n & (n - 1)) !== 0) throw new ConfigError(`ROOST_SCRYPT_N must be a power of two from 1024 to 1048576, got "${n}"`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on or off, got "${env[name]}"`);
}

export function defaultDb(env: Env = process.env): string {
  return env.ROOST_DB || './roost.db';
}

/** REDIS_URL, checked: a redis:// or rediss:// URL, or unset. */
function redisUrl(env: Env): string | null {
  const raw = env.REDIS_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got "${raw}"`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got "${raw}"`);
  return raw;
}

/** Emulator settings from the environment; null when emulator mode is off (`on` forces it on, as `serve --emulator`). */
export function emulatorConfig(env: Env = process.env, on = bool(env, 'ROOST_EMULATOR', false)): EmulatorConfig | null {
  if (!on) return null;
  const clock = env.ROOST_CLOCK || 'frozen';
  if (clock !== 'frozen' && clock !== 'real') throw new ConfigError(`ROOST_CLOCK must be frozen or real, got "${clock}"`);
  const seed = int(env, 'ROOST_SEED', 0);
  if (seed > 0xffffffff) throw new ConfigError(`ROOST_SEED must be at most 4294967295, got "${seed}"`);
  return {
    seed,
    clock,
    adminToken: env.ROOST_ADMIN_TOKEN || null,
    fixture: env.ROOST_FIXTURE || null,
    tempDb: !env.ROOST_DB,
    expose: bool(env, 'ROOST_EMULATOR_EXPOSE', false),
  };
}

function httpLimits(env: Env): HttpLimits {
  const limits: HttpLimits = {
    bodyBytes: int(env, 'ROOST_BODY_LIMIT', 64 * 1024, 1024),
    headerBytes: int(env, 'ROOST_HEADER_LIMIT', 16 * 1024, 1024),
    maxParams: int(env, 'ROOST_MAX_PARAMS', 400, 1),
    headersTimeoutMs: int(env, 'ROOST_HEADERS_TIMEOUT_MS', 10_000, 1),
    requestTimeoutMs: int(env, 'ROOST_REQUEST_TIMEOUT_MS', 30_000, 1),
    idleTimeoutMs: int(env, 'ROOST_IDLE_TIMEOUT_MS', 75_000, 1),
    // Longer than clients and load balancers keep idle sockets (60 s is common), so the client side
    // closes first: a server closing a socket as a request arrives on it fails that request.
    keepAliveTimeoutMs: int(env, 'ROOST_KEEP_ALIVE_TIMEOUT_MS', 72_000, 1),
    maxRequestsPerSocket: int(env, 'ROOST_MAX_REQUESTS_PER_SOCKET', 1000),
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError('ROOST_HEADERS_TIMEOUT_MS must not exceed ROOST_REQUEST_TIMEOUT_MS');
  }
  return limits;
}

/** ROOST_DB_REPLICAS: comma-separated postgres:// URLs of streaming replicas. */
export function replicaSettings(env: Env = process.env, urls = env.ROOST_DB_REPLICAS): ReplicaSettings {
  const list = (urls ?? '').split(',').map((u) => u.trim()).filter((u) => u !== '');
  for (const u of list) {
    if (!/^postgres(ql)?:\/\/./.test(u)) throw new ConfigError(`ROOST_DB_REPLICAS must list postgres:// URLs, got "${u}"`);
  }
  return {
    urls: list,
    waitMs: int(env, 'ROOST_REPLICA_WAIT_MS', 200),
    maxLagMs: int(env, 'ROOST_REPLICA_MAX_LAG_MS', 5000, 1),
    timeoutMs: int(env, 'ROOST_REPLICA_TIMEOUT_MS', 1000, 1),
  };
}

function metricsSettings(env: Env): MetricsSettings {
  const port = env.ROOST_METRICS_PORT;
  return {
    enabled: bool(env, 'ROOST_METRICS', true),
    token: env.ROOST_METRICS_TOKEN || null,
    port: port === undefined || port === '' ? null : int(env, 'ROOST_METRICS_PORT', 0),
    host: env.ROOST_METRICS_HOST || '127.0.0.1',
  };
}

/** ROOST_WEBHOOK_*: delivery timing and the addresses webhooks may name. */
function webhookSettings(env: Env): WebhookSettings {
  const allow = (env.ROOST_WEBHOOK_ALLOW ?? '').split(',').map((x) => x.trim().toLowerCase()).filter((x) => x !== '');
  for (const a of allow) {
    const [addr, bits, extra] = a.split('/');
    const ok = a === '*' || (extra === undefined && (bits === undefined ? /^[a-z0-9.:-]+$/.test(addr!) : isIP(addr!) !== 0 && /^\d{1,3}$/.test(bits)));
    if (!ok) throw new ConfigError(`ROOST_WEBHOOK_ALLOW takes CIDRs, host names or *, got "${a}"`);
  }
  const settings: WebhookSettings = {
    crcIntervalMs: int(env, 'ROOST_WEBHOOK_CRC_INTERVAL_MS', 3_600_000, 1),
    crcTimeoutMs: int(env, 'ROOST_WEBHOOK_CRC_TIMEOUT_MS', 3000, 1),
    timeoutMs: int(env, 'ROOST_WEBHOOK_TIMEOUT_MS', 10_000, 1),
    retryMinMs: int(env, 'ROOST_WEBHOOK_RETRY_MIN_MS', 1000, 1),
    retryMaxMs: int(env, 'ROOST_WEBHOOK_RETRY_MAX_MS', 300_000, 1),
    concurrency: int(env, 'ROOST_WEBHOOK_CONCURRENCY', 8, 1),
    leaseMs: int(env, 'ROOST_WEBHOOK_LEASE_MS', 30_000, 100),
    pollMs: int(env, 'ROOST_WEBHOOK_POLL_MS', 1000, 10),
    maxPerApp: int(env, 'ROOST_WEBHOOK_MAX_PER_APP', 5, 1),
    maxSubscriptions: int(env, 'ROOST_AAA_MAX_SUBSCRIPTIONS', 5000, 1),
    allow,
  };
  if (settings.retryMaxMs < settings.retryMinMs) throw new ConfigError('ROOST_WEBHOOK_RETRY_MAX_MS must not be below ROOST_WEBHOOK_RETRY_MIN_MS');
  return settings;
}

export function loadConfig(overrides: Partial<ServerConfig> = {}, env: Env = process.env): ServerConfig {
  const publicUrl = env.ROOST_PUBLIC_URL?.replace(/\/+$/, '') || null;
  if (publicUrl !== null && !/^https?:\/\/[^/]+$/.test(publicUrl)) {
    throw new ConfigError(`ROOST_PUBLIC_URL must be a scheme and host such as https://roost.example, got "${publicUrl}"`);
  }
  const ratio = env.ROOST_FOLLOWING_RATIO ? Number(env.ROOST_FOLLOWING_RATIO) : DEFAULT_FOLLOW_POLICY.followingRatio;
  if (!Number.isFinite(ratio) || ratio <= 0) throw new ConfigError('ROOST_FOLLOWING_RATIO must be a positive number');
  const sync = (env.ROOST_SQLITE_SYNC ?? 'NORMAL').toUpperCase();
  if (sync !== 'NORMAL' && sync !== 'FULL') throw new ConfigError('ROOST_SQLITE_SYNC must be NORMAL or FULL');
  return {
    port: int(env, 'PORT', 3000),
    host: env.HOST || '127.0.0.1',
    db: defaultDb(env),
    publicUrl,
    trustProxy: bool(env, 'ROOST_TRUST_PROXY', false),
    rateLimits: bool(env, 'ROOST_RATE_LIMITS', true),
    timestampSkewSeconds: int(env, 'ROOST_TIMESTAMP_SKEW', 300, 1),
    nonceCap: int(env, 'ROOST_NONCE_CAP', DEFAULT_NONCE_CAP, 100),
    nonceJournal: bool(env, 'ROOST_NONCE_JOURNAL', true),
    nonceDir: env.ROOST_NONCE_DIR || null,
    scryptN: scryptN(env),
    follow: {
      followsPerDay: limit(env, 'ROOST_FOLLOWS_PER_DAY', DEFAULT_FOLLOW_POLICY.followsPerDay),
      followsPerAppPerDay: limit(env, 'ROOST_FOLLOWS_PER_APP_PER_DAY', DEFAULT_FOLLOW_POLICY.followsPerAppPerDay),
      followingCap: limit(env, 'ROOST_FOLLOWING_CAP', DEFAULT_FOLLOW_POLICY.followingCap),
      followingRatio: ratio,
    },
    synchronous: sync,
    logLevel: env.ROOST_LOG_LEVEL || 'info',
    redisUrl: redisUrl(env),
    redisPrefix: env.ROOST_REDIS_PREFIX ?? 'roost:',
    workers: int(env, 'ROOST_WORKERS', 1, 1),
    statementTimeoutMs: int(env, 'ROOST_STATEMENT_TIMEOUT_MS', 5000, 1),
    replicas: overrides.replicas ?? replicaSettings(env),
    shutdownTimeoutMs: int(env, 'ROOST_SHUTDOWN_TIMEOUT_MS', 10_000, 1),
    emulator: emulatorConfig(env),
    limits: httpLimits(env),
    metrics: metricsSettings(env),
    tls: bool(env, 'ROOST_TLS', false),
    proxyPort: env.ROOST_PROXY_PORT ? int(env, 'ROOST_PROXY_PORT', 0) : null,
    caDir: env.ROOST_CA_DIR || null,
    console: {
      token: env.ROOST_CONSOLE_TOKEN || null,
      port: env.ROOST_CONSOLE_PORT ? int(env, 'ROOST_CONSOLE_PORT', 0) : null,
      host: env.ROOST_CONSOLE_HOST || '127.0.0.1',
      expose: bool(env, 'ROOST_CONSOLE_EXPOSE', false),
    },
    webhooks: webhookSettings(env),
    eventRetentionHours: int(env, 'ROOST_EVENT_RETENTION_HOURS', 168, 1),
    activity: {
      keepAliveMs: int(env, 'ROOST_ACTIVITY_KEEPALIVE_MS', 20_000, 1),
      streamsPerApp: int(env, 'ROOST_ACTIVITY_STREAMS_PER_APP', 2, 1),
      subscriptionsPerApp: int(env, 'ROOST_ACTIVITY_SUBSCRIPTIONS_PER_APP', 1000, 1),
    },
    ...overrides,
  };
}
