// PostgreSQL adapter (pg). Reads run on any pooled connection and see committed data; each write
// transaction holds one connection and runs at READ COMMITTED under locks on the users and pairs
// it touches (pg-tx.ts), so writes on one pair wait for each other rather than fail. The rare
// deadlock (or a duplicate edge from a bulk load racing a request) is rolled back and replayed.
import pg from 'pg';
import { PostgresWebhookStore } from './webhook-store.js';
import type { WebhookStore } from '../webhook-types.js';
import type { Pool, PoolClient } from 'pg';
import type {
  AccessLevel, AppPatch, AppRow, Direction, EdgePage, EventStamp, GraphKind, OAuth2TokenRow, PageWindow, Relation, Store, TokenRow, Tx,
  UserId, UserRow,
} from '../types.js';
import { defaultEventStamp } from '../event-rows.js';
import { PgEventLog } from './pg-events.js';
import { NO_RELATION } from '../types.js';
import { SCHEMA_NAME, migratePostgres } from './migrations.js';
import { PgTx } from './pg-tx.js';
import { q, qArrays, qCount } from './queries.js';
import { postgresSearchSlices } from './search.js';
import { SearchScan } from '../search-scan.js';
import { INT8_AS_BIGINT, KIND_CODE, num, seqBound, toApp, toOAuth2Token, toToken, toUser, type Raw } from './rows.js';
import { isRetryable, backoffMs } from './retry.js';
import { postgresActivitySubscriptions } from './activity-subscriptions.js';
import type { ActivitySubscriptionStore } from '../activity-subscriptions.js';

/**
 * PostgreSQL text cannot hold U+0000 (passing one is an error, not a miss), and nothing roost
 * stores contains it, so a key or search term with one matches nothing: the answer SQLite gives.
 */
const hasNul = (s: string) => s.includes('\u0000');

export interface PostgresOptions {
  /** Schema holding roost's tables (the connections' search_path); created on open. Overrides `?schema=`. */
  schema?: string;
  /** Connections in the pool (default 10; `?pool_size=` in the URL). */
  poolSize?: number;
  /** statement_timeout of every connection, in ms (default 5000). */
  statementTimeoutMs?: number;
  /** Tries of one transaction before a deadlock or duplicate edge is surfaced (default 30). */
  maxAttempts?: number;
  /** false: a read-only replica, whose schema the primary migrates (default true) */
  migrate?: boolean;
  /** client-side limits, for a server that may hang rather than refuse (a replica), ms */
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  /** ids and times of recorded events (default: the system clock and a snowflake of this process) */
  eventStamp?: EventStamp;
}

/** Splits roost's own URL parameters (`schema`, `pool_size`) from what pg should see. */
export function parsePostgresUrl(location: string): { connectionString: string; schema?: string; poolSize?: number } {
  const url = new URL(location);
  const schema = url.searchParams.get('schema') ?? undefined;
  const pool = url.searchParams.get('pool_size');
  url.searchParams.delete('schema');
  url.searchParams.delete('pool_size');
  return { connectionString: url.toString(), schema, poolSize: pool === null ? undefined : Number(pool) };
}

export class PostgresStore implements Store {
  readonly backend = 'postgres' as const;
  /** Transactions replayed after a deadlock or a concurrent duplicate edge. */
  retries = 0;
  /** The most attempts one committed transaction needed. */
  mostAttempts = 0;

  private readonly running = new Set<Promise<unknown>>();

  private readonly search: SearchScan;
  readonly activity: ActivitySubscriptionStore;
  readonly webhooks: WebhookStore;
  readonly events: PgEventLog;

  private constructor(
    private readonly pool: Pool, private readonly maxAttempts: number,
    private readonly stamp: EventStamp, events: { connectionString: string; schema: string | null },
  ) {
    this.search = new SearchScan(postgresSearchSlices(pool));
    this.webhooks = new PostgresWebhookStore(pool);
    // A channel per schema: each schema is a roost database of its own.
    const channel = `roost_events:${events.schema ?? 'public'}`.slice(0, 63);
    this.events = new PgEventLog(pool, channel, events.connectionString);
    this.activity = postgresActivitySubscriptions(pool);
  }

  static async open(location: string, opts: PostgresOptions = {}): Promise<PostgresStore> {
    const parsed = parsePostgresUrl(location);
    const schema = opts.schema ?? parsed.schema ?? null;
    if (schema !== null && !SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}"`);
    const poolSize = opts.poolSize ?? parsed.poolSize ?? 10;
    if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error(`invalid pool size ${poolSize}`);
    const pool = new pg.Pool({
      connectionString: parsed.connectionString,
      max: poolSize,
      types: INT8_AS_BIGINT,
      statement_timeout: opts.statementTimeoutMs ?? 5000,
      ...(opts.connectTimeoutMs !== undefined ? { connectionTimeoutMillis: opts.connectTimeoutMs } : {}),
      ...(opts.queryTimeoutMs !== undefined ? { query_timeout: opts.queryTimeoutMs } : {}),
      // A startup parameter, so every connection (and every prepared statement) sees only this schema.
      ...(schema !== null ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle connection the server drops emits 'error' on the pool; without a listener Node
    // would exit. The pool discards that connection and the next query opens a new one.
    pool.on('error', () => undefined);
    const made = () => new PostgresStore(pool, opts.maxAttempts ?? 30, opts.eventStamp ?? defaultEventStamp(),
      { connectionString: parsed.connectionString, schema });
    if (opts.migrate === false) return made();
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client, schema);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end();
      throw err;
    }
    return made();
  }

  /** Lets transactions in flight (retries included) finish, then closes every connection. */
  async close() {
    await Promise.allSettled([...this.running]);
    await this.events.flush();
    await this.pool.end();
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const run = this.run(work);
    this.running.add(run);
    const done = () => this.running.delete(run);
    run.then(done, done);
    return run;
  }

  private async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        const tx = new PgTx(client, this.stamp);
        const result = await work(tx);
        await tx.commit();
        client.release();
        // Readers of this process wake at once; others by NOTIFY (sent after COMMIT: pg-events.ts).
        if (tx.recorded) this.events.committed();
        if (attempt > this.mostAttempts) this.mostAttempts = attempt;
        return result;
      } catch (err) {
        // ROLLBACK failing means the connection is unusable: destroy it rather than pool it.
        const broken = await client.query('ROLLBACK').then(() => undefined, (e: Error) => e);
        client.release(broken);
        if (!isRetryable(err) || attempt >= this.maxAttempts) throw err;
        this.retries++;
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }

  async userById(id: UserId) {
    const [r] = await q(this.pool, 'userById', [id]);
    return r && toUser(r);
  }
  async userByScreenName(screenName: string) {
    if (hasNul(screenName)) return undefined;
    const [r] = await q(this.pool, 'userByKey', [screenName.toLowerCase()]);
    return r && toUser(r);
  }
  async usersByIds(ids: readonly UserId[]) {
    const out = new Map<UserId, UserRow>();
    if (ids.length === 0) return out;
    for (const r of await q(this.pool, 'usersByIds', [ids])) {
      const u = toUser(r);
      out.set(u.id, u);
    }
    return out;
  }
  async usersByScreenNames(names: readonly string[]) {
    const out = new Map<string, UserRow>();
    if (names.length === 0) return out;
    for (const r of await q(this.pool, 'usersByKeys', [names.filter((n) => !hasNul(n)).map((n) => n.toLowerCase())])) {
      const u = toUser(r);
      out.set(u.screenName.toLowerCase(), u);
    }
    return out;
  }
  async countUsers() {
    return num((await q(this.pool, 'countUsers', []))[0]!.n);
  }
  async allUserIds() {
    return (await q(this.pool, 'allUserIds', [])).map((r) => r.id as bigint);
  }

  async searchUsers(terms: readonly string[], cap: number, skip = 0) {
    if (terms.some(hasNul)) return [];
    // Only the page asked for is loaded: a search may rank 1,000 users to answer 20.
    const ids = (await this.search.run(terms, cap)).slice(skip);
    const byId = await this.usersByIds(ids);
    return ids.map((id) => byId.get(id)).filter((u): u is UserRow => u !== undefined && u.state === 'active');
  }

  async page(kind: GraphKind, dir: Direction, user: UserId, window: PageWindow, limit: number): Promise<EdgePage> {
    const k = KIND_CODE[kind];
    const first = window.kind === 'before' && window.seq >= Number.MAX_SAFE_INTEGER;
    const before = window.kind === 'before';
    // seq < x is seq < ceil(x) and seq > x is seq > floor(x), for whole-number positions.
    const bound = seqBound(window.seq, before ? 'up' : 'down');
    const rows = await q(this.pool, before ? `${dir}Before` as const : `${dir}After` as const, [k, user, bound, limit + 1]);
    const more = rows.length > limit;
    const items = rows.slice(0, limit).map((r) => ({ seq: num(r.seq), id: r.id as bigint }));
    if (!before) items.reverse();
    let behind = false;
    if (!first) {
      const probe = before ? `${dir}AtOrAbove` as const : `${dir}AtOrBelow` as const;
      behind = (await q(this.pool, probe, [k, user, bound])).length > 0;
    }
    return { items, more, behind };
  }

  async relations(viewer: UserId, others: readonly UserId[]) {
    const out = new Map<UserId, Relation>();
    if (others.length === 0) return out;
    const get = (id: bigint) => {
      let rel = out.get(id);
      if (!rel) out.set(id, (rel = { ...NO_RELATION }));
      return rel;
    };
    const [outRows, inRows] = await Promise.all([q(this.pool, 'relOut', [viewer, others]), q(this.pool, 'relIn', [others, viewer])]);
    for (const row of outRows) {
      const rel = get(row.id as bigint);
      switch (row.kind as number) {
        case 0:
          rel.following = true;
          rel.notifications = row.notify as boolean;
          rel.wantRetweets = row.retweets as boolean;
          break;
        case 1: rel.requestSent = true; break;
        case 2: rel.blocking = true; break;
        case 3: rel.muting = true; break;
      }
    }
    for (const row of inRows) {
      const rel = get(row.id as bigint);
      switch (row.kind as number) {
        case 0: rel.followedBy = true; break;
        case 1: rel.requestReceived = true; break;
        case 2: rel.blockedBy = true; break;
      }
    }
    return out;
  }

  async noRetweetIds(user: UserId) {
    return (await q(this.pool, 'noRetweets', [KIND_CODE.follow, user])).map((r) => r.id as bigint);
  }
  async countEdges(user: UserId) {
    const r = (await q(this.pool, 'countEdges', [KIND_CODE.follow, user]))[0]!;
    return { followers: num(r.followers), friends: num(r.friends) };
  }

  async insertApp(a: AppRow) {
    await q(this.pool, 'insertApp', [a.id, a.name, a.consumerKey, a.consumerSecret, a.bearerToken, a.clientId,
      a.clientSecret, a.accessLevel, JSON.stringify(a.callbackUrls), a.clientType, a.createdAt]);
  }
  async appByConsumerKey(key: string) {
    if (hasNul(key)) return undefined;
    const [r] = await q(this.pool, 'appByKey', [key]);
    return r && toApp(r);
  }
  async appByBearer(token: string) {
    if (hasNul(token)) return undefined;
    const [r] = await q(this.pool, 'appByBearer', [token]);
    return r && toApp(r);
  }
  async appByClientId(clientId: string) {
    if (hasNul(clientId)) return undefined;
    const [r] = await q(this.pool, 'appByClientId', [clientId]);
    return r && toApp(r);
  }
  async appById(id: bigint) {
    const [r] = await q(this.pool, 'appById', [id]);
    return r && toApp(r);
  }
  async listApps() {
    return (await q(this.pool, 'apps', [])).map(toApp);
  }
  async setBearer(appId: bigint, token: string | null) {
    await q(this.pool, 'setBearer', [token, appId]);
  }
  async insertToken(t: TokenRow) {
    await q(this.pool, 'insertToken', [t.token, t.secret, t.appId, t.userId, t.accessLevel, t.createdAt]);
  }
  async tokenByValue(token: string) {
    if (hasNul(token)) return undefined;
    const [r] = await q(this.pool, 'token', [token]);
    return r && toToken(r);
  }
  async oauthCaller(consumerKey: string, token: string) {
    // A value PostgreSQL text cannot hold matches nothing, as in the one-by-one reads.
    const text = (v: string) => (hasNul(v) ? null : v);
    const { names, rows: [row] } = await qArrays(this.pool, 'oauthCaller', [text(consumerKey), text(token)]);
    // The columns after each marker are that table's; a table with no row left them all null.
    const parts: Record<string, Raw> = {};
    let part: Raw | null = null;
    names.forEach((name, i) => {
      if (name.startsWith('@')) parts[name] = part = {};
      else if (part) part[name] = row![i];
    });
    const app = parts['@app']!;
    const tok = parts['@token']!;
    const user = parts['@user']!;
    return {
      app: app.id == null ? undefined : toApp(app),
      token: tok.token == null ? undefined : toToken(tok),
      user: user.id == null ? undefined : toUser(user),
    };
  }
  async tokenFor(appId: bigint, userId: UserId, level: AccessLevel) {
    const [r] = await q(this.pool, 'tokenFor', [appId, userId, level]);
    return r && toToken(r);
  }
  async revokeToken(token: string) {
    if (hasNul(token)) return false;
    return (await qCount(this.pool, 'revokeToken', [token])) > 0;
  }
  async updateApp(appId: bigint, patch: AppPatch) {
    if (patch.callbackUrls) await q(this.pool, 'updateCallbacks', [JSON.stringify(patch.callbackUrls), appId]);
    if (patch.clientType) await q(this.pool, 'updateClientType', [patch.clientType, appId]);
  }
  async insertOAuth2Token(t: OAuth2TokenRow) {
    await q(this.pool, 'insertOAuth2', [t.tokenHash, t.kind, t.appId, t.userId, t.scopes.join(' '), t.expiresAt, t.createdAt, t.family ?? t.tokenHash]);
  }
  async oauth2Token(tokenHash: string) {
    if (hasNul(tokenHash)) return undefined;
    const [r] = await q(this.pool, 'oauth2Token', [tokenHash]);
    return r && toOAuth2Token(r);
  }
  async revokeOAuth2Token(tokenHash: string) {
    if (hasNul(tokenHash)) return false;
    return (await qCount(this.pool, 'revokeOAuth2', [tokenHash])) > 0;
  }
  async setPasswordHash(userId: UserId, hash: string | null) {
    await q(this.pool, 'setPassword', [hash, userId]);
  }
  async passwordHash(userId: UserId) {
    const [r] = await q(this.pool, 'passwordHash', [userId]);
    return (r?.password_hash as string | null | undefined) ?? null;
  }
}
