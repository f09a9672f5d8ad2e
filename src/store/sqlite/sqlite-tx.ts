// The Tx port on SQLite: the write statements and one transaction's reads and writes, run by
// SqliteStore inside its group commit (one writer; the rows this transaction read stay true until it ends).
import Database from 'better-sqlite3';
import type { Direction, EventStamp, FollowAttrs, GraphKind, NewUser, OAuth2Tx, Relation, Tx, UserId, UserPatch, UserRow } from '../types.js';
import type { NewEvent } from '../../events/types.js';
import { insertEvent, prepareEventWriter } from './sqlite-events.js';
import { NO_RELATION } from '../types.js';
import { KIND_CODE, STATE_CODE, toUser, type Raw } from './rows.js';
import { sqliteOAuth2Tx } from './oauth2-tx.js';
import type { ReadCache } from './read-cache.js';

export type Stmts = ReturnType<typeof prepareWriter>;

// A list is the rows of one (kind, owner) whose `hidden` is 0: the user each row names is active.
// The key is (kind, owner, hidden, seq), so a page is one range of it, with no lookup per row.
export const LIST = {
  out: { from: 'FROM edges_fwd WHERE kind = ? AND src = ? AND hidden = 0', other: 'dst' },
  in: { from: 'FROM edges_bwd WHERE kind = ? AND dst = ? AND hidden = 0', other: 'src' },
} as const;

const HIDDEN = (user: string) => `NOT EXISTS (SELECT 1 FROM users WHERE id = ${user} AND state = 0)`;

export function prepareWriter(db: Database.Database) {
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
export const NO_CACHE = { touchUser() {}, touchEdge() {}, touchPair() {}, touchAllPages() {}, touchToken() {} };
export type Touches = Pick<ReadCache, 'touchUser' | 'touchEdge' | 'touchPair' | 'touchAllPages' | 'touchToken'>;

/** What a transaction needs to record events: the stamp, and a note that the batch woke readers. */
export interface EventSink {
  stamp: EventStamp;
  recorded(): void;
}

export class SqliteTx implements Tx {
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
