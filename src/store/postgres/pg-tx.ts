// The Tx port on one pooled client, at READ COMMITTED (opened and replayed by PostgresStore).
//
// Exact without SERIALIZABLE: a user is locked before its row is read, a pair before its edges
// are (tx-locks.ts), so what this transaction read cannot change under it until it commits and is
// kept here rather than read twice. Edge writes then know whether they change anything; counts
// move as deltas added at commit to one stripe row per user (migration 6), in id order. Statements that follow one another without
// needing the previous answer travel in one round trip (simple protocol, values inlined by lit):
// a follow is four round trips, BEGIN and COMMIT included.
import type { PoolClient, QueryResult } from 'pg';
import type { Direction, EventStamp, FollowAttrs, GraphKind, NewUser, OAuth2Tx, Tx, UserId, UserPatch, UserRow } from '../types.js';
import type { NewEvent } from '../../events/types.js';
import { insertEvent } from './pg-events.js';
import { PgOAuth2Tx } from './oauth2-tx.js';
import { q, USERS, type QueryName } from './queries.js';
import { KIND_CODE, STATE_CODE, toUser, type Raw } from './rows.js';
import { countStatement, edgeKey, lit, lockStatement, pairEdgesStatement, pairKey, STRIPES, type PairEdge } from './tx-locks.js';

const BEGIN = 'BEGIN ISOLATION LEVEL READ COMMITTED';

const USER_COLUMNS: Record<keyof UserPatch, string> = {
  name: 'name', description: 'description', location: 'location', url: 'url', email: 'email',
  protected: 'protected', verified: 'verified', state: 'state', locked: 'locked',
};

export class PgTx implements Tx {
  readonly oauth2: OAuth2Tx;
  private begun = false;
  private readonly held = new Map<UserId, 'shared' | 'exclusive'>();
  /** User rows read under this transaction's lock on them (counts aside, they cannot change). */
  private readonly rows = new Map<UserId, UserRow | undefined>();
  private readonly pairs = new Map<string, Map<string, PairEdge>>();
  private readonly deltas = new Map<UserId, { followers: number; friends: number }>();

  /** whether this attempt recorded events (readers are woken after its COMMIT) */
  recorded = false;

  constructor(private readonly c: PoolClient, private readonly stamp: EventStamp) {
    this.oauth2 = new PgOAuth2Tx(async (query) => {
      await this.open();
      return this.c.query(query);
    });
  }

  private async open() {
    if (this.begun) return;
    this.begun = true;
    await this.c.query(BEGIN);
  }

  private async sql(name: QueryName, values: unknown[]) {
    await this.open();
    return q(this.c, name, values);
  }

  /** Several statements in one round trip; each still reads the data committed when it starts. */
  private async batch(statements: string[]): Promise<Raw[][]> {
    const lead = this.begun ? 0 : 1;
    const text = (lead ? [BEGIN, ...statements] : statements).join(';\n');
    this.begun = true;
    const res = (await this.c.query(text)) as unknown as QueryResult | QueryResult[];
    return (Array.isArray(res) ? res : [res]).slice(lead).map((r) => r.rows as Raw[]);
  }

  /** Locks (shared) the users not yet locked and the pair if given, then reads what is not yet read. */
  private async lock(users: readonly UserId[], pair: readonly [UserId, UserId] | null) {
    const fresh = [...new Set(users)].filter((id) => !this.held.has(id));
    const unread = [...new Set(users)].filter((id) => !this.rows.has(id));
    const statements: string[] = [];
    const locks = lockStatement(fresh, pair);
    if (locks) statements.push(locks);
    if (unread.length > 0) statements.push(`${USERS} WHERE u.id = ANY('{${unread.map(lit).join(',')}}'::bigint[])`);
    if (pair) statements.push(pairEdgesStatement(pair[0], pair[1]));
    if (statements.length === 0) return;
    const results = await this.batch(statements);
    for (const id of fresh) this.held.set(id, 'shared');
    if (unread.length > 0) {
      const found = new Map(results[locks ? 1 : 0]!.map((r) => [r.id as bigint, toUser(r)]));
      for (const id of unread) this.rows.set(id, found.get(id));
    }
    if (pair) {
      const edges = new Map<string, PairEdge>();
      for (const r of results.at(-1)!) {
        edges.set(edgeKey(r.kind as number, r.src as bigint), { seq: r.seq as bigint, notifications: r.notify as boolean, wantRetweets: r.retweets as boolean });
      }
      this.pairs.set(pairKey(pair[0], pair[1]), edges);
    }
  }

  private async pair(a: UserId, b: UserId): Promise<Map<string, PairEdge>> {
    const key = pairKey(a, b);
    if (!this.pairs.has(key)) await this.lock([a, b], [a, b]);
    return this.pairs.get(key)!;
  }

  /** The row with this transaction's count changes, which reach the table at commit. */
  private current(id: UserId): UserRow | undefined {
    const row = this.rows.get(id);
    const d = this.deltas.get(id);
    return row && d ? { ...row, followersCount: row.followersCount + d.followers, friendsCount: row.friendsCount + d.friends } : row;
  }

  async recordEvent(e: NewEvent) {
    await this.open();
    await insertEvent(this.c, this.stamp, e);
    this.recorded = true;
  }

  async user(id: UserId, opts?: { forUpdate?: boolean }) {
    if (opts?.forUpdate && this.held.get(id) !== 'exclusive') {
      await this.batch([`SELECT pg_advisory_xact_lock(${lit(id)})`]);
      this.held.set(id, 'exclusive');
      this.rows.delete(id);
    }
    if (!this.rows.has(id)) await this.lock([id], null);
    return this.current(id);
  }
  async hasEdge(kind: GraphKind, src: UserId, dst: UserId) {
    return (await this.pair(src, dst)).has(edgeKey(KIND_CODE[kind], src));
  }
  async followAttrs(src: UserId, dst: UserId): Promise<FollowAttrs | undefined> {
    const e = (await this.pair(src, dst)).get(edgeKey(KIND_CODE.follow, src));
    return e && { notifications: e.notifications, wantRetweets: e.wantRetweets };
  }
  async addEdge(kind: GraphKind, src: UserId, dst: UserId, attrs?: FollowAttrs) {
    const k = KIND_CODE[kind];
    const edges = await this.pair(src, dst);
    if (edges.has(edgeKey(k, src))) return false;
    const notifications = attrs?.notifications ?? false;
    const wantRetweets = attrs?.wantRetweets !== false;
    // A row is hidden when the user it names is not active (or not there); states cannot change
    // while locked. A row this transaction changed since is read again (its lock is still held).
    if (!this.rows.has(src) || !this.rows.has(dst)) await this.lock([src, dst], null);
    const hidden = (id: UserId) => this.rows.get(id)?.state !== 'active';
    const [inserted] = await this.batch([
      `INSERT INTO edges_fwd (kind, src, hidden, seq, dst, notify, retweets) VALUES (${lit(k)}, ${lit(src)}, ${lit(hidden(dst))},
        nextval('edge_seq'), ${lit(dst)}, ${lit(notifications)}, ${lit(wantRetweets)}) RETURNING seq`,
      `INSERT INTO edges_bwd (kind, dst, hidden, seq, src) VALUES (${lit(k)}, ${lit(dst)}, ${lit(hidden(src))}, currval('edge_seq'), ${lit(src)})`,
    ]);
    edges.set(edgeKey(k, src), { seq: inserted![0]!.seq as bigint, notifications, wantRetweets });
    return true;
  }
  async removeEdge(kind: GraphKind, src: UserId, dst: UserId) {
    const k = KIND_CODE[kind];
    const edges = await this.pair(src, dst);
    const e = edges.get(edgeKey(k, src));
    if (!e) return false;
    // Both values of hidden: two probes of the backward key, never a scan of the whole list.
    await this.batch([
      `DELETE FROM edges_fwd WHERE kind = ${lit(k)} AND src = ${lit(src)} AND dst = ${lit(dst)}`,
      `DELETE FROM edges_bwd WHERE kind = ${lit(k)} AND dst = ${lit(dst)} AND hidden = ANY('{f,t}'::boolean[]) AND seq = ${lit(e.seq)}`,
    ]);
    edges.delete(edgeKey(k, src));
    return true;
  }
  async setFollowAttrs(src: UserId, dst: UserId, attrs: FollowAttrs) {
    const e = (await this.pair(src, dst)).get(edgeKey(KIND_CODE.follow, src));
    await this.sql('setAttrs', [attrs.notifications, attrs.wantRetweets, src, dst]);
    if (e) Object.assign(e, attrs);
  }
  async allEdges(kind: GraphKind, dir: Direction, user: UserId) {
    const rows = await this.sql(dir === 'out' ? 'edgesOut' : 'edgesIn', [KIND_CODE[kind], user]);
    return rows.map((r) => r.id as bigint);
  }
  async adjustCounts(user: UserId, followers: number, friends: number) {
    const d = this.deltas.get(user) ?? { followers: 0, friends: 0 };
    this.deltas.set(user, { followers: d.followers + followers, friends: d.friends + friends });
  }
  async adjustNeighbourCounts(user: UserId, delta: number) {
    const followees = await this.allEdges('follow', 'out', user);
    const followers = await this.allEdges('follow', 'in', user);
    await this.lockRows([...followees, ...followers]);
    if (followees.length > 0) await this.sql('adjustFollowers', [delta, followees]);
    if (followers.length > 0) await this.sql('adjustFriends', [delta, followers]);
    for (const id of [...followees, ...followers]) this.rows.delete(id);
  }
  /** Row locks in id order, ahead of updates that would take them in no particular order. */
  private async lockRows(ids: readonly UserId[]) {
    if (ids.length > 0) await this.sql('lockUsers', [[...new Set(ids)]]);
  }
  async setCounts(user: UserId, followers: number, friends: number) {
    this.deltas.delete(user);
    this.rows.delete(user);
    await this.sql('setCounts', [followers, friends, user]);
  }
  async countEdges(user: UserId) {
    const r = (await this.sql('countEdges', [KIND_CODE.follow, user]))[0]!;
    return { followers: Number(r.followers as bigint), friends: Number(r.friends as bigint) };
  }
  async insertUser(u: NewUser): Promise<UserRow> {
    await this.sql('insertScreenName', [u.screenName.toLowerCase(), u.id]);
    const [r] = await this.sql('insertUser', [
      u.id, u.screenName, u.screenName.toLowerCase(), u.name, u.description ?? '', u.location ?? '',
      u.url ?? null, u.email ?? null, u.protected ?? false, u.verified ?? false, u.createdAt,
    ]);
    return toUser(r!);
  }
  async updateUser(id: UserId, patch: UserPatch) {
    const keys = (Object.keys(patch) as (keyof UserPatch)[]).filter((k) => patch[k] !== undefined);
    if (keys.length === 0) return;
    // A change of state or protection waits for the graph writes in flight on this user.
    const was = patch.state || patch.protected !== undefined ? (await this.user(id, { forUpdate: true }))?.state : undefined;
    const moves = patch.state !== undefined && was !== undefined && (was === 'active') !== (patch.state === 'active');
    // The user's row and its neighbours' (whose counts move next), in id order, before any of them.
    if (moves) await this.lockRows([id, ...await this.allEdges('follow', 'out', id), ...await this.allEdges('follow', 'in', id)]);
    const sets = keys.map((k, i) => `${USER_COLUMNS[k]} = $${i + 1}`).join(', ');
    const values = keys.map((k) => (k === 'state' ? STATE_CODE[patch.state!] : patch[k]));
    await this.open();
    // One statement text per column set; unnamed, since the combinations are many and rare.
    await this.c.query(`UPDATE users SET ${sets} WHERE id = $${keys.length + 1}`, [...values, id]);
    this.rows.delete(id);
    if (moves) await this.moveNamedRows(id, patch.state !== 'active');
  }

  /** Adds the count changes to this transaction's stripe and commits, in one round trip. */
  async commit() {
    const counts = countStatement(this.deltas, Math.floor(Math.random() * STRIPES));
    if (!this.begun && counts === null) return;
    await this.batch(counts === null ? ['COMMIT'] : [counts, 'COMMIT']);
  }

  /** Hides or shows the rows naming the user in other users' lists (its own lists stay as they are). */
  private async moveNamedRows(id: UserId, hidden: boolean) {
    const incoming = await this.sql('namedIn', [id]);
    if (incoming.length > 0) {
      await this.sql('moveNamedFwd', [hidden, incoming.map((r) => r.kind), incoming.map((r) => r.src), id]);
    }
    const outgoing = await this.sql('namedOut', [id]);
    if (outgoing.length > 0) {
      await this.sql('moveNamedBwd', [hidden, outgoing.map((r) => r.kind), outgoing.map((r) => r.dst), outgoing.map((r) => r.seq)]);
    }
  }
}
