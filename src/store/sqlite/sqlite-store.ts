// SQLite adapter (better-sqlite3, WAL). One connection writes, one reads: readers never see
// a transaction in progress. Write transactions are queued and run one at a time, those queued
// together committed together (group-commit.ts); checkpoints run in a worker (checkpointer.ts).
import Database from 'better-sqlite3';
import type {
  AccessLevel, AppPatch, AppRow, Direction, EdgePage, EventStamp, FollowAttrs, GraphKind, JsonPage, NewUser, PageWindow,
  OAuth2TokenRow, OAuth2Tx, Relation, Store, TokenRow, Tx, UserId, UserPatch, UserRow,
} from '../types.js';
import type { NewEvent } from '../../events/types.js';
import { defaultEventStamp } from '../event-rows.js';
import { SqliteEventLog, insertEvent, prepareEventWriter } from './sqlite-events.js';
import { NO_RELATION } from '../types.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { KIND_CODE, STATE_CODE, idList, toApp, toOAuth2Token, toToken, toUser, type Raw } from './rows.js';
import { Checkpointer } from './checkpointer.js';
import { objectRows } from './raw-rows.js';
import { GroupCommit } from './group-commit.js';
import { SearchScan } from '../search-scan.js';
import { sqliteSearchSlices } from './search.js';
import { privateDatabaseFile } from './file-mode.js';
import { sqliteOAuth2Tx } from './oauth2-tx.js';
import { ReadCache } from './read-cache.js';
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

type Stmts = ReturnType<typeof prepareWriter>;

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

// A list is the rows of one (kind, owner) whose `hidden` is 0: the user each row names is active.
// The key is (kind, owner, hidden, seq), so a page is one range of it, with no lookup per row.
const LIST = {
  out: { from: 'FROM edges_fwd WHERE kind = ? AND src = ? AND hidden = 0', other: 'dst' },
  in: { from: 'FROM edges_bwd WHERE kind = ? AND dst = ? AND hidden = 0', other: 'src' },
} as const;

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

const HIDDEN = (user: string) => `NOT EXISTS (SELECT 1 FROM users WHERE id = ${user} AND state = 0)`;

function prepareWriter(db: Database.Database) {
  return {
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    hasEdge: db.prepare('SELECT 1 FROM edges_fwd WHERE kind = ? AND src = ? AND dst = ?'),
    followAttrs: db.prepare('SELECT notify, retweets FROM edges_fwd WHERE kind = 0 AND src = ? AND dst = ?'),
    // Both directions of one pair: four seeks of the pair index per direction, one statement.
    pair: db.prepare(`SELECT kind, src = @a AS out, notify, retweets FROM edges_fwd WHERE kind IN (0, 1, 2, 3) AND src = @a AND dst = @b
      UNION ALL SELECT kind, 0, 0, 0 FROM edges_fwd WHERE kind IN (0, 1, 2) AND src = @b AND dst = @a`),
    nextSeq: db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'edge_seq' RETURNING value"),
    // Each row starts hidden when the user it names is not active (or missing, as the join was).
    insertFwd: db.prepare(`INSERT INTO edges_fwd (kind, src, hidden, seq, dst, notify, retweets)
      VALUES (@kind, @src, ${HIDDEN('@dst')}, @seq, @dst, @notify, @retweets)`),
    insertBwd: db.prepare(`INSERT INTO edges_bwd (kind, dst, hidden, seq, src) VALUES (@kind, @dst, ${HIDDEN('@src')}, @seq, @src)`),
    deleteFwd: db.prepare('DELETE FROM edges_fwd WHERE kind = ? AND src = ? AND dst = ? RETURNING seq'),
    // Both values of hidden: two seeks of the key, never a scan of the whole list.
    deleteBwd: db.prepare('DELETE FROM edges_bwd WHERE kind = ? AND dst = ? AND hidden IN (0, 1) AND seq = ?'),
    setAttrs: db.prepare('UPDATE edges_fwd SET notify = ?, retweets = ? WHERE kind = 0 AND src = ? AND dst = ?'),
    // Orders as PostgreSQL's statements give them, so bulk rules replay alike on both.
    edgesOut: db.prepare('SELECT dst AS id FROM edges_fwd WHERE kind = ? AND src = ? ORDER BY dst'),
    edgesIn: db.prepare('SELECT src AS id FROM edges_bwd WHERE kind = ? AND dst = ? ORDER BY seq'),
    // A user's state moves its rows in other users' lists: forward rows naming it (found from
    // its incoming rows, by the pair index) and backward rows naming it (by their whole key).
    moveNamedFwd: db.prepare(`UPDATE edges_fwd SET hidden = @hidden WHERE hidden <> @hidden AND (kind, src, dst) IN
      (SELECT kind, src, dst FROM edges_bwd WHERE kind IN (0, 1, 2, 3) AND dst = @user)`),
    moveNamedBwd: db.prepare(`UPDATE edges_bwd SET hidden = @hidden WHERE (kind, dst, hidden, seq) IN
      (SELECT kind, dst, 1 - @hidden, seq FROM edges_fwd WHERE kind IN (0, 1, 2, 3) AND src = @user)`),
    adjust: db.prepare('UPDATE users SET followers_count = followers_count + ?, friends_count = friends_count + ? WHERE id = ?'),
    setCounts: db.prepare('UPDATE users SET followers_count = ?, friends_count = ? WHERE id = ?'),
    countFollowers: db.prepare(`SELECT count(*) AS n ${LIST.in.from}`),
    countFriends: db.prepare(`SELECT count(*) AS n ${LIST.out.from}`),
    // RETURNING id: the read cache drops exactly the rows these change.
    neighbourFollowers: db.prepare('UPDATE users SET followers_count = followers_count + ? WHERE id IN (SELECT dst FROM edges_fwd WHERE kind = 0 AND src = ?) RETURNING id').pluck(),
    neighbourFriends: db.prepare('UPDATE users SET friends_count = friends_count + ? WHERE id IN (SELECT src FROM edges_bwd WHERE kind = 0 AND dst = ?) RETURNING id').pluck(),
    insertUser: db.prepare(`INSERT INTO users (id, screen_name, screen_name_key, name, description, location, url, email, protected, verified, created_at)
      VALUES (@id, @screenName, @key, @name, @description, @location, @url, @email, @protected, @verified, @createdAt)`),
    insertApp: db.prepare(`INSERT INTO apps (id, name, consumer_key, consumer_secret, bearer_token, client_id, client_secret, access_level, callback_urls, client_type, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    updateCallbacks: db.prepare('UPDATE apps SET callback_urls = ? WHERE id = ?'),
    updateClientType: db.prepare('UPDATE apps SET client_type = ? WHERE id = ?'),
    insertOAuth2: db.prepare('INSERT INTO oauth2_tokens (token_hash, kind, app_id, user_id, scopes, expires_at, created_at, family) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    revokeOAuth2: db.prepare('UPDATE oauth2_tokens SET revoked = 1 WHERE token_hash = ? AND revoked = 0'),
    setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
    setBearer: db.prepare('UPDATE apps SET bearer_token = ? WHERE id = ?'),
    insertToken: db.prepare('INSERT INTO tokens (token, secret, app_id, user_id, access_level, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    revokeToken: db.prepare('UPDATE tokens SET revoked = 1 WHERE token = ? AND revoked = 0'),
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    insertEvent: prepareEventWriter(db),
  };
}

const USER_COLUMNS: Record<keyof UserPatch, string> = {
  name: 'name', description: 'description', location: 'location', url: 'url', email: 'email',
  protected: 'protected', verified: 'verified', state: 'state', locked: 'locked',
};

function patchValue(key: keyof UserPatch, value: unknown): unknown {
  if (key === 'state') return STATE_CODE[value as UserRow['state']];
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** What a transaction tells the read cache it changed (dropped after COMMIT); nothing without one. */
const NO_CACHE = { touchUser() {}, touchEdge() {}, touchPair() {}, touchAllPages() {}, touchToken() {} };
type Touches = Pick<ReadCache, 'touchUser' | 'touchEdge' | 'touchPair' | 'touchAllPages' | 'touchToken'>;

/** What a transaction needs to record events: the stamp, and a note that the batch woke readers. */
interface EventSink {
  stamp: EventStamp;
  recorded(): void;
}

class SqliteTx implements Tx {
  readonly oauth2: OAuth2Tx;
  /**
   * Rows this transaction has read, kept equal to the database by its own count changes (the
   * only writer while it runs holds the lock): a follow reads its two users several times
   * (rules, counts, the answer) and the answer is the row the counts left, with no statement.
   */
  private readonly rows = new Map<UserId, UserRow>();
  constructor(private readonly db: Database.Database, private readonly s: Stmts, private readonly c: Touches, private readonly ev: EventSink) {
    this.oauth2 = sqliteOAuth2Tx(db, (tokenHash) => c.touchToken(tokenHash));
  }

  async user(id: UserId) {
    const known = this.rows.get(id);
    if (known) return known;
    const r = this.s.userById.get(id) as Raw | undefined;
    if (!r) return undefined;
    const u = toUser(r);
    this.rows.set(id, u);
    return u;
  }
  async relation(a: UserId, b: UserId): Promise<Relation> {
    const rel = { ...NO_RELATION };
    if (a === b) return rel;
    for (const row of this.s.pair.all({ a, b }) as Raw[]) {
      const out = Number(row.out) === 1;
      switch (Number(row.kind)) {
        case 0:
          if (!out) { rel.followedBy = true; break; }
          rel.following = true;
          rel.notifications = Number(row.notify) === 1;
          rel.wantRetweets = Number(row.retweets) === 1;
          break;
        case 1: if (out) rel.requestSent = true; else rel.requestReceived = true; break;
        case 2: if (out) rel.blocking = true; else rel.blockedBy = true; break;
        case 3: rel.muting = true; break;
      }
    }
    return rel;
  }
  /** The user rows this transaction holds, each equal to the database's row at this point. */
  heldRows(): Iterable<UserRow> { return this.rows.values(); }
  /** A count change applied to the row this transaction holds, as the UPDATE applied it. */
  private moveCounts(id: UserId, followers: (n: number) => number, friends: (n: number) => number): void {
    const u = this.rows.get(id);
    if (u) this.rows.set(id, { ...u, followersCount: followers(u.followersCount), friendsCount: friends(u.friendsCount) });
  }
  async hasEdge(kind: GraphKind, src: UserId, dst: UserId) {
    return this.s.hasEdge.get(KIND_CODE[kind], src, dst) !== undefined;
  }
  async followAttrs(src: UserId, dst: UserId): Promise<FollowAttrs | undefined> {
    const r = this.s.followAttrs.get(src, dst) as Raw | undefined;
    return r && { notifications: Number(r.notify) === 1, wantRetweets: Number(r.retweets) === 1 };
  }
  async addEdge(kind: GraphKind, src: UserId, dst: UserId, attrs?: FollowAttrs) {
    const k = KIND_CODE[kind];
    if (this.s.hasEdge.get(k, src, dst) !== undefined) return false;
    const seq = (this.s.nextSeq.get() as Raw).value as bigint;
    this.s.insertFwd.run({ kind: k, src, seq, dst, notify: attrs?.notifications ? 1 : 0, retweets: attrs?.wantRetweets === false ? 0 : 1 });
    this.s.insertBwd.run({ kind: k, dst, seq, src });
    this.c.touchEdge(kind, src, dst);
    return true;
  }
  async removeEdge(kind: GraphKind, src: UserId, dst: UserId) {
    const k = KIND_CODE[kind];
    const r = this.s.deleteFwd.get(k, src, dst) as Raw | undefined;
    if (!r) return false;
    this.s.deleteBwd.run(k, dst, r.seq);
    this.c.touchEdge(kind, src, dst);
    return true;
  }
  async setFollowAttrs(src: UserId, dst: UserId, attrs: FollowAttrs) {
    this.s.setAttrs.run(attrs.notifications ? 1 : 0, attrs.wantRetweets ? 1 : 0, src, dst);
    this.c.touchPair(src, dst);
  }
  async allEdges(kind: GraphKind, dir: Direction, user: UserId) {
    const stmt = dir === 'out' ? this.s.edgesOut : this.s.edgesIn;
    return stmt.all(KIND_CODE[kind], user).map((r) => (r as Raw).id as bigint);
  }
  async adjustCounts(user: UserId, followers: number, friends: number) {
    this.s.adjust.run(followers, friends, user);
    this.c.touchUser(user);
    this.moveCounts(user, (n) => n + followers, (n) => n + friends);
  }
  async adjustNeighbourCounts(user: UserId, delta: number) {
    for (const id of this.s.neighbourFollowers.all(delta, user) as bigint[]) { this.c.touchUser(id); this.rows.delete(id); }
    for (const id of this.s.neighbourFriends.all(delta, user) as bigint[]) { this.c.touchUser(id); this.rows.delete(id); }
  }
  async setCounts(user: UserId, followers: number, friends: number) {
    this.s.setCounts.run(followers, friends, user);
    this.c.touchUser(user);
    this.moveCounts(user, () => followers, () => friends);
  }
  async countEdges(user: UserId) {
    return {
      followers: Number((this.s.countFollowers.get(0, user) as Raw).n),
      friends: Number((this.s.countFriends.get(0, user) as Raw).n),
    };
  }
  async insertUser(u: NewUser): Promise<UserRow> {
    this.s.insertUser.run({
      id: u.id, screenName: u.screenName, key: u.screenName.toLowerCase(), name: u.name,
      description: u.description ?? '', location: u.location ?? '', url: u.url ?? null, email: u.email ?? null,
      protected: u.protected ? 1 : 0, verified: u.verified ? 1 : 0, createdAt: u.createdAt,
    });
    this.c.touchUser(u.id);
    this.rows.delete(u.id);
    return toUser(this.s.userById.get(u.id) as Raw);
  }
  async recordEvent(e: NewEvent) {
    insertEvent(this.s.insertEvent, this.ev.stamp, e);
    this.ev.recorded();
  }
  async updateUser(id: UserId, patch: UserPatch) {
    const keys = (Object.keys(patch) as (keyof UserPatch)[]).filter((k) => patch[k] !== undefined);
    if (keys.length === 0) return;
    const was = patch.state && (this.s.userById.get(id) as Raw | undefined)?.state;
    const sets = keys.map((k) => `${USER_COLUMNS[k]} = ?`).join(', ');
    this.db.prepare(`UPDATE users SET ${sets} WHERE id = ?`).run(...keys.map((k) => patchValue(k, patch[k])), id);
    this.c.touchUser(id);
    this.rows.delete(id);
    if (patch.state && was !== undefined && (Number(was) === 0) !== (patch.state === 'active')) {
      const hidden = patch.state === 'active' ? 0 : 1;
      this.c.touchAllPages();
      this.s.moveNamedFwd.run({ hidden, user: id });
      this.s.moveNamedBwd.run({ hidden, user: id });
    }
  }
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
    const cache = opts.readCache === false ? null : new ReadCache(() => this.w.dataVersion.get() as bigint);
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
