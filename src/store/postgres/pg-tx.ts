// The Tx port on one pooled client inside a SERIALIZABLE transaction (opened by PostgresStore).
import type { PoolClient } from 'pg';
import type { Direction, EventStamp, FollowAttrs, GraphKind, NewUser, OAuth2Tx, Tx, UserId, UserPatch, UserRow } from '../types.js';
import type { NewEvent } from '../../events/types.js';
import { insertEvent } from './pg-events.js';
import { PgOAuth2Tx } from './oauth2-tx.js';
import { q } from './queries.js';
import { KIND_CODE, STATE_CODE, toUser } from './rows.js';

const USER_COLUMNS: Record<keyof UserPatch, string> = {
  name: 'name', description: 'description', location: 'location', url: 'url', email: 'email',
  protected: 'protected', verified: 'verified', state: 'state', locked: 'locked',
};

export class PgTx implements Tx {
  readonly oauth2: OAuth2Tx;
  /** whether this attempt recorded events (readers are woken after its COMMIT) */
  recorded = false;
  constructor(private readonly c: PoolClient, private readonly stamp: EventStamp) {
    this.oauth2 = new PgOAuth2Tx(c);
  }

  async recordEvent(e: NewEvent) {
    await insertEvent(this.c, this.stamp, e);
    this.recorded = true;
  }

  async user(id: UserId) {
    const [r] = await q(this.c, 'userById', [id]);
    return r && toUser(r);
  }
  async hasEdge(kind: GraphKind, src: UserId, dst: UserId) {
    return (await q(this.c, 'hasEdge', [KIND_CODE[kind], src, dst])).length > 0;
  }
  async followAttrs(src: UserId, dst: UserId): Promise<FollowAttrs | undefined> {
    const [r] = await q(this.c, 'followAttrs', [src, dst]);
    return r && { notifications: r.notify as boolean, wantRetweets: r.retweets as boolean };
  }
  async addEdge(kind: GraphKind, src: UserId, dst: UserId, attrs?: FollowAttrs) {
    const k = KIND_CODE[kind];
    const notify = attrs?.notifications ?? false;
    const retweets = attrs?.wantRetweets !== false;
    const active = new Set((await q(this.c, 'activeAmong', [[src, dst]])).map((u) => u.id as bigint));
    const [r] = await q(this.c, 'insertFwd', [k, src, !active.has(dst), dst, notify, retweets]);
    if (!r) return false; // already there: ON CONFLICT left it untouched
    await q(this.c, 'insertBwd', [k, dst, !active.has(src), r.seq, src]);
    return true;
  }
  async removeEdge(kind: GraphKind, src: UserId, dst: UserId) {
    const k = KIND_CODE[kind];
    const [r] = await q(this.c, 'deleteFwd', [k, src, dst]);
    if (!r) return false;
    await q(this.c, 'deleteBwd', [k, dst, r.seq]);
    return true;
  }
  async setFollowAttrs(src: UserId, dst: UserId, attrs: FollowAttrs) {
    await q(this.c, 'setAttrs', [attrs.notifications, attrs.wantRetweets, src, dst]);
  }
  async allEdges(kind: GraphKind, dir: Direction, user: UserId) {
    const rows = await q(this.c, dir === 'out' ? 'edgesOut' : 'edgesIn', [KIND_CODE[kind], user]);
    return rows.map((r) => r.id as bigint);
  }
  async adjustCounts(user: UserId, followers: number, friends: number) {
    await q(this.c, 'adjust', [followers, friends, user]);
  }
  async adjustNeighbourCounts(user: UserId, delta: number) {
    const followees = await this.allEdges('follow', 'out', user);
    const followers = await this.allEdges('follow', 'in', user);
    if (followees.length > 0) await q(this.c, 'adjustFollowers', [delta, followees]);
    if (followers.length > 0) await q(this.c, 'adjustFriends', [delta, followers]);
  }
  async setCounts(user: UserId, followers: number, friends: number) {
    await q(this.c, 'setCounts', [followers, friends, user]);
  }
  async countEdges(user: UserId) {
    const r = (await q(this.c, 'countEdges', [KIND_CODE.follow, user]))[0]!;
    return { followers: Number(r.followers as bigint), friends: Number(r.friends as bigint) };
  }
  async insertUser(u: NewUser): Promise<UserRow> {
    const [r] = await q(this.c, 'insertUser', [
      u.id, u.screenName, u.screenName.toLowerCase(), u.name, u.description ?? '', u.location ?? '',
      u.url ?? null, u.email ?? null, u.protected ?? false, u.verified ?? false, u.createdAt,
    ]);
    return toUser(r!);
  }
  async updateUser(id: UserId, patch: UserPatch) {
    const keys = (Object.keys(patch) as (keyof UserPatch)[]).filter((k) => patch[k] !== undefined);
    if (keys.length === 0) return;
    const was = patch.state && (await this.user(id))?.state;
    const sets = keys.map((k, i) => `${USER_COLUMNS[k]} = $${i + 1}`).join(', ');
    const values = keys.map((k) => (k === 'state' ? STATE_CODE[patch.state!] : patch[k]));
    // One statement text per column set; unnamed, since the combinations are many and rare.
    await this.c.query(`UPDATE users SET ${sets} WHERE id = $${keys.length + 1}`, [...values, id]);
    if (patch.state && was && (was === 'active') !== (patch.state === 'active')) await this.moveNamedRows(id, patch.state !== 'active');
  }

  /** Hides or shows the rows naming the user in other users' lists (its own lists stay as they are). */
  private async moveNamedRows(id: UserId, hidden: boolean) {
    const incoming = await q(this.c, 'namedIn', [id]);
    if (incoming.length > 0) {
      await q(this.c, 'moveNamedFwd', [hidden, incoming.map((r) => r.kind), incoming.map((r) => r.src), id]);
    }
    const outgoing = await q(this.c, 'namedOut', [id]);
    if (outgoing.length > 0) {
      await q(this.c, 'moveNamedBwd', [hidden, outgoing.map((r) => r.kind), outgoing.map((r) => r.dst), outgoing.map((r) => r.seq)]);
    }
  }
}
