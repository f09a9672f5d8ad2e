// SQLite adapter (better-sqlite3, WAL). One connection writes, one reads: readers never see
// a transaction in progress. Write transactions are queued and run one at a time, those queued
// together committed together (group-commit.ts); checkpoints run in a worker (checkpointer.ts).
import Database from 'better-sqlite3';
import type { AccessLevel, AppPatch, AppRow, Direction, EdgePage, EventStamp, GraphKind, JsonPage, PageWindow, OAuth2TokenRow, Relation, Store, TokenRow, Tx, UserId, UserRow } from '../types.js';
import { defaultEventStamp } from '../event-rows.js';
import { SqliteEventLog } from './sqlite-events.js';
import { NO_RELATION } from '../types.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { KIND_CODE, idList, toApp, toOAuth2Token, toToken, toUser, type Raw } from './rows.js';
import { Checkpointer } from './checkpointer.js';
import { objectRows } from './raw-rows.js';
import { GroupCommit } from './group-commit.js';
import { SearchScan } from '../search-scan.js';
import { sqliteSearchSlices } from './search.js';
import { privateDatabaseFile } from './file-mode.js';
import { CommitProbe } from './commit-probe.js';
import { ReadCache } from './read-cache.js';
import { LIST, NO_CACHE, prepareWriter, SqliteTx, type EventSink, type Stmts } from './sqlite-tx.js';
import { sqliteActivitySubscriptions } from './activity-subscriptions.js';
import type { ActivitySubscriptionStore } from '../activity-subscriptions.js';
import { SqliteWebhookStore } from './webhook-store.js';
import type { WebhookStore } from '../webhook-types.js';

export interface SqliteOptions {
  synchronous?: 'NORMAL' | 'FULL';
  /** Serve users, tokens, apps, list pages and relations from memory (read-cache.ts); default true. */
  readCache?: boolean;
  /** ids and times of recorded events (default: the system clock and a snowflake of this process) */
  eventStamp?: EventStamp;
}


function open(path: string, synchronous: string): Database.Database {
  privateDatabaseFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // Checkpoints are the checkpointer's job, never a COMMIT's.
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.defaultSafeIntegers(true);
  return db;
}

export function migrateSqlite(db: Database.Database): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  // IMMEDIATE takes the write lock first, so two processes starting together apply each step once.
  return db.transaction(() => {
    const done = new Set(db.prepare('SELECT version FROM schema_migrations').all().map((r) => Number((r as Raw).version)));
    const applied: number[] = [];
    for (const m of SQLITE_MIGRATIONS) {
      if (done.has(m.version)) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
      applied.push(m.version);
    }
    return applied;
  }).immediate();
}


/** The statements of one list's pages, as text (the plan test reads them too). */
export function pageSql(dir: Direction) {
  const { from, other } = LIST[dir];
  return {
    before: `SELECT seq, ${other} AS id ${from} AND seq < ? ORDER BY seq DESC LIMIT ?`,
    beforeJson: `SELECT json_group_array(id) AS ids, count(*) AS n, max(seq) AS first, min(seq) AS last
      FROM (SELECT seq, ${other} AS id ${from} AND seq < ? ORDER BY seq DESC LIMIT ?)`,
    after: `SELECT seq, ${other} AS id ${from} AND seq > ? ORDER BY seq ASC LIMIT ?`,
    existsAtOrAbove: `SELECT 1 ${from} AND seq >= ? LIMIT 1`,
    existsAtOrBelow: `SELECT 1 ${from} AND seq <= ? LIMIT 1`,
  };
}

function prepareReader(db: Database.Database) {
  const pageStmts = (dir: Direction) => {
    const sql = pageSql(dir);
    return {
      before: db.prepare(sql.before),
      beforeJson: db.prepare(sql.beforeJson),
      after: db.prepare(sql.after),
      existsAtOrAbove: db.prepare(sql.existsAtOrAbove),
      existsAtOrBelow: db.prepare(sql.existsAtOrBelow),
    };
  };
  return {
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    userByKey: db.prepare('SELECT * FROM users WHERE screen_name_key = ?'),
    usersByIds: objectRows(db.prepare('SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))')),
    usersByKeys: objectRows(db.prepare('SELECT * FROM users WHERE screen_name_key IN (SELECT value FROM json_each(?))')),
    countUsers: db.prepare('SELECT count(*) AS n FROM users'),
    allUserIds: db.prepare('SELECT id FROM users ORDER BY id'),
    page: { out: pageStmts('out'), in: pageStmts('in') },
    relOut: db.prepare(`SELECT kind, dst AS id, notify, retweets FROM edges_fwd
      WHERE kind IN (0, 1, 2, 3) AND src = ? AND dst IN (SELECT value FROM json_each(?))`),
    relIn: db.prepare(`SELECT kind, src AS id FROM edges_fwd
      WHERE kind IN (0, 1, 2) AND src IN (SELECT value FROM json_each(?)) AND dst = ?`),
    noRetweets: db.prepare(`SELECT dst AS id ${LIST.out.from} AND retweets = 0 ORDER BY seq DESC`),
    countFollowers: db.prepare(`SELECT count(*) AS n ${LIST.in.from}`),
    countFriends: db.prepare(`SELECT count(*) AS n ${LIST.out.from}`),
    appByKey: db.prepare('SELECT * FROM apps WHERE consumer_key = ?'),
    appByBearer: db.prepare('SELECT * FROM apps WHERE bearer_token = ?'),
    appByClientId: db.prepare('SELECT * FROM apps WHERE client_id = ?'),
    appById: db.prepare('SELECT * FROM apps WHERE id = ?'),
    apps: db.prepare('SELECT * FROM apps ORDER BY id'),
    token: db.prepare('SELECT * FROM tokens WHERE token = ? AND revoked = 0'),
    tokenFor: db.prepare('SELECT * FROM tokens WHERE app_id = ? AND user_id = ? AND access_level = ? AND revoked = 0 ORDER BY created_at LIMIT 1'),
    oauth2Token: db.prepare('SELECT * FROM oauth2_tokens WHERE token_hash = ? AND revoked = 0'),
    passwordHash: db.prepare('SELECT password_hash FROM users WHERE id = ?'),
  };
}


export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  private readonly w: Stmts;
  private readonly r: ReturnType<typeof prepareReader>;
  private readonly checkpointer: Checkpointer;
  private readonly queue: GroupCommit;
  private readonly search: SearchScan;
  /** asks whether another connection committed (the read cache's freshness check; none without one) */
  private readonly probe: CommitProbe | null;
  /** null when opened with readCache: false */
  private readonly cache: ReadCache | null;
  readonly activity: ActivitySubscriptionStore;
  readonly webhooks: WebhookStore;
  readonly events: SqliteEventLog;
  private readonly eventSink: EventSink;
  /** whether the batch being committed recorded events */
  private eventsInBatch = false;

  constructor(path: string, opts: SqliteOptions = {}) {
    const synchronous = opts.synchronous ?? 'NORMAL';
    this.writer = open(path, synchronous);
    migrateSqlite(this.writer);
    // Another process's write lock is waited for by the group commit, off the event loop.
    this.writer.pragma('busy_timeout = 0');
    this.reader = open(path, synchronous);
    this.checkpointer = new Checkpointer(path, { synchronous });
    this.w = prepareWriter(this.writer);
    const probe = opts.readCache === false ? null : new CommitProbe(this.writer.memory ? null : path, () => this.w.dataVersion.get() as bigint);
    this.probe = probe;
    const cache = probe === null ? null : new ReadCache(() => probe.get());
    this.cache = cache;
    // Cached entries a batch changed go right after its COMMIT, before its callers are answered.
    this.queue = new GroupCommit(this.writer, () => {
      cache?.committed();
      this.checkpointer.committed();
      if (this.eventsInBatch) { this.eventsInBatch = false; this.events.local.emit(); }
    }, () => cache?.aborted());
    this.r = prepareReader(this.reader);
    this.eventSink = { stamp: opts.eventStamp ?? defaultEventStamp(), recorded: () => { this.eventsInBatch = true; } };
    this.events = new SqliteEventLog(this.reader, this.writer, (work) => this.queue.run(async () => work()));
    this.search = new SearchScan(sqliteSearchSlices(this.reader));
    this.activity = sqliteActivitySubscriptions(this.reader, this.writer, (work) => this.queue.run(async () => work()));
    this.webhooks = new SqliteWebhookStore(this.writer, this.reader, (work) => this.queue.run(async () => work()));
  }

  refresh(): void {
    this.cache?.refresh();
  }

  /** Write batches committed so far and the transactions they held. */
  get commitStats(): { batches: number; transactions: number } {
    return { ...this.queue.stats };
  }

  async close() {
    await this.queue.idle();
    await this.checkpointer.stop();
    this.reader.close();
    this.writer.close();
    this.probe?.close();
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      const tx = new SqliteTx(this.writer, this.w, this.cache ?? NO_CACHE, this.eventSink);
      const value = await work(tx);
      // Only once the work succeeded: a refused transaction rolls back to its savepoint.
      this.cache?.stage(tx.heldRows());
      return value;
    });
  }

  async userById(id: UserId) {
    const c = this.cache?.check();
    const hit = c?.users.get(id);
    if (hit) return hit;
    const r = this.r.userById.get(id) as Raw | undefined;
    return r && (c ? c.user(toUser(r)) : toUser(r));
  }
  async userByScreenName(screenName: string) {
    const key = screenName.toLowerCase();
    const c = this.cache?.check();
    const id = c?.userKeys.get(key);
    const hit = id === undefined ? undefined : c!.users.get(id);
    if (hit) return hit;
    const r = this.r.userByKey.get(key) as Raw | undefined;
    if (!r) return undefined;
    const u = toUser(r);
    if (!c) return u;
    c.userKeys.set(key, u.id);
    return c.user(u);
  }
  /** Hits from the cache, the misses in one statement. */
  async usersByIds(ids: readonly UserId[]) {
    const out = new Map<UserId, UserRow>();
    if (ids.length === 0) return out;
    const c = this.cache?.check();
    const missing = c ? ids.filter((id) => { const u = c.users.get(id); if (u) out.set(id, u); return !u; }) : ids;
    if (missing.length === 0) return out;
    for (const r of this.r.usersByIds(idList(missing))) {
      const u = toUser(r);
      out.set(u.id, c ? c.user(u) : u);
    }
    return out;
  }
  async usersByScreenNames(names: readonly string[]) {
    const out = new Map<string, UserRow>();
    if (names.length === 0) return out;
    const c = this.cache?.check();
    const missing: string[] = [];
    for (const name of names) {
      const key = name.toLowerCase();
      const id = c?.userKeys.get(key);
      const u = id === undefined ? undefined : c!.users.get(id);
      if (u) out.set(key, u);
      else missing.push(key);
    }
    if (missing.length === 0) return out;
    for (const r of this.r.usersByKeys(JSON.stringify(missing))) {
      const u = toUser(r);
      const key = u.screenName.toLowerCase();
      c?.userKeys.set(key, u.id);
      out.set(key, c ? c.user(u) : u);
    }
    return out;
  }
  async countUsers() {
    return Number((this.r.countUsers.get() as Raw).n);
  }
  async allUserIds() {
    return this.r.allUserIds.all().map((r) => (r as Raw).id as bigint);
  }

  async searchUsers(terms: readonly string[], cap: number, skip = 0) {
    // Only the page asked for is loaded: a search may rank 1,000 users to answer 20.
    const ids = (await this.search.run(terms, cap)).slice(skip);
    const byId = await this.usersByIds(ids);
    return ids.map((id) => byId.get(id)).filter((u): u is UserRow => u !== undefined && u.state === 'active');
  }

  async page(kind: GraphKind, dir: Direction, user: UserId, window: PageWindow, limit: number): Promise<EdgePage> {
    const c = this.cache?.check();
    const at = `${window.kind}|${window.seq}|${limit}`;
    const hit = c?.page(kind, dir, user, at) as EdgePage | undefined;
    if (hit) return hit;
    const page = this.readPage(kind, dir, user, window, limit);
    c?.setPage(kind, dir, user, at, page);
    return page;
  }

  private readPage(kind: GraphKind, dir: Direction, user: UserId, window: PageWindow, limit: number): EdgePage {
    const s = this.r.page[dir];
    const k = KIND_CODE[kind];
    const first = window.kind === 'before' && window.seq >= Number.MAX_SAFE_INTEGER;
    const stmt = window.kind === 'before' ? s.before : s.after;
    const rows = stmt.all(k, user, window.seq, limit + 1) as Raw[];
    const more = rows.length > limit;
    const items = rows.slice(0, limit).map((r) => ({ seq: Number(r.seq as bigint), id: r.id as bigint }));
    if (window.kind === 'after') items.reverse();
    let behind = false;
    if (!first) {
      const probe = window.kind === 'before' ? s.existsAtOrAbove : s.existsAtOrBelow;
      behind = probe.get(k, user, window.seq) !== undefined;
    }
    return { items, more, behind };
  }

  async pageJson(kind: GraphKind, dir: Direction, user: UserId, window: PageWindow & { kind: 'before' }, limit: number): Promise<JsonPage> {
    const c = this.cache?.check();
    const at = `j|${window.seq}|${limit}`;
    const hit = c?.page(kind, dir, user, at) as JsonPage | undefined;
    if (hit) return hit;
    const page = this.readPageJson(kind, dir, user, window, limit);
    c?.setPage(kind, dir, user, at, page);
    return page;
  }

  private readPageJson(kind: GraphKind, dir: Direction, user: UserId, window: PageWindow & { kind: 'before' }, limit: number): JsonPage {
    const s = this.r.page[dir];
    const k = KIND_CODE[kind];
    const r = s.beforeJson.get(k, user, window.seq, limit) as Raw;
    const count = Number(r.n);
    if (count === 0) return { json: '[]', count, firstSeq: 0, lastSeq: 0, more: false, behind: false };
    const firstSeq = Number(r.first as bigint);
    const lastSeq = Number(r.last as bigint);
    const first = window.seq >= Number.MAX_SAFE_INTEGER;
    return {
      json: r.ids as string, count, firstSeq, lastSeq,
      more: s.existsAtOrBelow.get(k, user, lastSeq - 1) !== undefined,
      behind: !first && s.existsAtOrAbove.get(k, user, window.seq) !== undefined,
    };
  }

  /** Cached pairs first, the rest in two statements. */
  async relations(viewer: UserId, others: readonly UserId[]) {
    const c = this.cache?.check();
    if (!c) return this.readRelations(viewer, others);
    const out = new Map<UserId, Relation>();
    const missing: UserId[] = [];
    for (const id of others) {
      const rel = c.relations.get(`${viewer}|${id}`);
      if (rel === undefined) missing.push(id);
      else if (rel) out.set(id, rel);
    }
    if (missing.length === 0) return out;
    const read = this.readRelations(viewer, missing);
    for (const id of missing) {
      const rel = read.get(id);
      c.relations.set(`${viewer}|${id}`, rel ? Object.freeze(rel) : null);
      if (rel) out.set(id, rel);
    }
    return out;
  }

  private readRelations(viewer: UserId, others: readonly UserId[]) {
    const out = new Map<UserId, Relation>();
    if (others.length === 0) return out;
    const list = idList(others);
    const get = (id: bigint) => {
      let rel = out.get(id);
      if (!rel) out.set(id, (rel = { ...NO_RELATION }));
      return rel;
    };
    for (const row of this.r.relOut.all(viewer, list) as Raw[]) {
      const rel = get(row.id as bigint);
      switch (Number(row.kind)) {
        case 0:
          rel.following = true;
          rel.notifications = Number(row.notify) === 1;
          rel.wantRetweets = Number(row.retweets) === 1;
          break;
        case 1: rel.requestSent = true; break;
        case 2: rel.blocking = true; break;
        case 3: rel.muting = true; break;
      }
    }
    for (const row of this.r.relIn.all(list, viewer) as Raw[]) {
      const rel = get(row.id as bigint);
      switch (Number(row.kind)) {
        case 0: rel.followedBy = true; break;
        case 1: rel.requestReceived = true; break;
        case 2: rel.blockedBy = true; break;
      }
    }
    return out;
  }

  async noRetweetIds(user: UserId) {
    return this.r.noRetweets.all(KIND_CODE.follow, user).map((r) => (r as Raw).id as bigint);
  }
  async countEdges(user: UserId) {
    return {
      followers: Number((this.r.countFollowers.get(0, user) as Raw).n),
      friends: Number((this.r.countFriends.get(0, user) as Raw).n),
    };
  }

  async insertApp(a: AppRow) {
    await this.queue.run(async () => {
      this.w.insertApp.run(a.id, a.name, a.consumerKey, a.consumerSecret, a.bearerToken, a.clientId, a.clientSecret,
        a.accessLevel, JSON.stringify(a.callbackUrls), a.clientType, a.createdAt);
      this.cache?.touchApps();
    });
  }
  /** One app by one of its keys, from the cache when there (`k:`, `b:`, `c:`, `i:` as in ReadCache.apps). */
  private app(key: string, read: () => unknown): AppRow | undefined {
    const c = this.cache?.check();
    const hit = c?.apps.get(key);
    if (hit) return hit;
    const r = read() as Raw | undefined;
    if (!r) return undefined;
    const app = toApp(r);
    if (!c) return app;
    Object.freeze(app.callbackUrls);
    c.apps.set(key, Object.freeze(app));
    return app;
  }
  async appByConsumerKey(key: string) {
    return this.app(`k:${key}`, () => this.r.appByKey.get(key));
  }
  async appByBearer(token: string) {
    return this.app(`b:${token}`, () => this.r.appByBearer.get(token));
  }
  async appByClientId(clientId: string) {
    return this.app(`c:${clientId}`, () => this.r.appByClientId.get(clientId));
  }
  async appById(id: bigint) {
    return this.app(`i:${id}`, () => this.r.appById.get(id));
  }
  async listApps() {
    return this.r.apps.all().map((r) => toApp(r as Raw));
  }
  async setBearer(appId: bigint, token: string | null) {
    await this.queue.run(async () => { this.w.setBearer.run(token, appId); this.cache?.touchApps(); });
  }
  async insertToken(t: TokenRow) {
    await this.queue.run(async () => {
      this.w.insertToken.run(t.token, t.secret, t.appId, t.userId, t.accessLevel, t.createdAt);
    });
  }
  async tokenByValue(token: string) {
    const c = this.cache?.check();
    const hit = c?.tokens.get(token);
    if (hit) return hit;
    const r = this.r.token.get(token) as Raw | undefined;
    if (!r) return undefined;
    const t = toToken(r);
    c?.tokens.set(token, Object.freeze(t));
    return t;
  }
  async tokenFor(appId: bigint, userId: UserId, level: AccessLevel) {
    const r = this.r.tokenFor.get(appId, userId, level) as Raw | undefined;
    return r && toToken(r);
  }
  async revokeToken(token: string) {
    return this.queue.run(async () => { this.cache?.touchToken(token); return this.w.revokeToken.run(token).changes > 0; });
  }
  async updateApp(appId: bigint, patch: AppPatch) {
    await this.queue.run(async () => {
      if (patch.callbackUrls) this.w.updateCallbacks.run(JSON.stringify(patch.callbackUrls), appId);
      if (patch.clientType) this.w.updateClientType.run(patch.clientType, appId);
      this.cache?.touchApps();
    });
  }
  async insertOAuth2Token(t: OAuth2TokenRow) {
    await this.queue.run(async () => {
      this.w.insertOAuth2.run(t.tokenHash, t.kind, t.appId, t.userId, t.scopes.join(' '), t.expiresAt, t.createdAt, t.family ?? t.tokenHash);
    });
  }
  async oauth2Token(tokenHash: string) {
    const c = this.cache?.check();
    const hit = c?.oauth2.get(tokenHash);
    if (hit) return hit;
    const r = this.r.oauth2Token.get(tokenHash) as Raw | undefined;
    if (!r) return undefined;
    const t = toOAuth2Token(r);
    if (c) { Object.freeze(t.scopes); c.oauth2.set(tokenHash, Object.freeze(t)); }
    return t;
  }
  async revokeOAuth2Token(tokenHash: string) {
    return this.queue.run(async () => { this.cache?.touchToken(tokenHash); return this.w.revokeOAuth2.run(tokenHash).changes > 0; });
  }
  async setPasswordHash(userId: UserId, hash: string | null) {
    await this.queue.run(async () => { this.w.setPassword.run(hash, userId); });
  }
  async passwordHash(userId: UserId) {
    const r = this.r.passwordHash.get(userId) as Raw | undefined;
    return (r?.password_hash as string | null | undefined) ?? null;
  }
}
