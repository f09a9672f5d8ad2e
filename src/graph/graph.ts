// The rules of the social graph: follows, requests, blocks, mutes, and the counts they move.
// Knows nothing of HTTP or SQL; every write is one store transaction, and records the events it
// raises (src/events/types.ts) in that transaction, only when an edge actually changed.
import type { EventType } from '../events/types.js';
import type { GraphStore, Tx, UserStore } from '../store/types.js';
import { GraphRuleError } from './errors.js';
import { overFollowingRatio, type FollowPolicy, type FollowQuota } from './follow-policy.js';
import { GraphReads } from './reads.js';
import { updateProfile, type ProfileChange } from './profile.js';
import { NO_RELATION, type Relation, type UserId, type UserRow, type UserState } from './types.js';
import { isHidden, visibilityOf } from './visibility.js';

const TOGGLE_EVENT = {
  block: ['block.unblock', 'block.block'],
  mute: ['mute.unmute', 'mute.mute'],
} as const satisfies Record<'block' | 'mute', readonly [EventType, EventType]>;

export interface Actor {
  userId: UserId;
  appId: bigint | null;
}

/** A write's answer: the other user after the write, and the relation as it stood before it. */
export interface WriteResult {
  user: UserRow;
  before: Relation;
}

export type FollowOutcome = 'followed' | 'requested' | 'unchanged';

async function relationIn(tx: Tx, a: UserId, b: UserId): Promise<Relation> {
  if (tx.relation) return tx.relation(a, b);
  if (a === b) return { ...NO_RELATION };
  const attrs = await tx.followAttrs(a, b);
  return {
    following: attrs !== undefined,
    followedBy: await tx.hasEdge('follow', b, a),
    requestSent: await tx.hasEdge('request', a, b),
    requestReceived: await tx.hasEdge('request', b, a),
    blocking: await tx.hasEdge('block', a, b),
    blockedBy: await tx.hasEdge('block', b, a),
    muting: await tx.hasEdge('mute', a, b),
    notifications: attrs?.notifications ?? false,
    wantRetweets: attrs?.wantRetweets ?? false,
  };
}

export class Graph {
  /** lookups, lists and who may read them */
  readonly reads: GraphReads;

  constructor(
    private readonly store: GraphStore & UserStore,
    private readonly policy: FollowPolicy,
    private readonly quota: FollowQuota,
  ) {
    this.reads = new GraphReads(store);
  }

  /** Loads the target inside the transaction and refuses suspended or missing users. */
  private async target(tx: Tx, id: UserId): Promise<UserRow> {
    const user = await tx.user(id);
    switch (visibilityOf(user)) {
      case 'not-found': throw new GraphRuleError('target-not-found');
      case 'suspended': throw new GraphRuleError('target-suspended');
      case 'visible': return user!;
    }
  }

  private async addFollow(tx: Tx, src: UserId, dst: UserId, notifications = false): Promise<void> {
    if (!(await tx.addEdge('follow', src, dst, { notifications, wantRetweets: true }))) return;
    await this.countFollow(tx, src, dst, 1);
    await tx.recordEvent({ type: 'follow.follow', sourceId: src, targetId: dst });
  }

  /** `event`: false when a block removes the follow (the block raises block.block alone). */
  private async removeFollow(tx: Tx, src: UserId, dst: UserId, event = true): Promise<void> {
    if (!(await tx.removeEdge('follow', src, dst))) return;
    await this.countFollow(tx, src, dst, -1);
    if (event) await tx.recordEvent({ type: 'follow.unfollow', sourceId: src, targetId: dst });
  }

  /** Adds or removes a block or mute edge, raising its event when the edge changed. */
  private async toggle(tx: Tx, kind: 'block' | 'mute', add: boolean, src: UserId, dst: UserId): Promise<boolean> {
    const changed = add ? await tx.addEdge(kind, src, dst) : await tx.removeEdge(kind, src, dst);
    if (changed) await tx.recordEvent({ type: TOGGLE_EVENT[kind][add ? 1 : 0], sourceId: src, targetId: dst });
    return changed;
  }

  /**
   * Counts hold only active users (§13.4), so each end counts the edge only while the other
   * end is active; setState moves the counts when a user is hidden or restored. An end may be
   * hidden here: a requester suspended before its request is accepted, a caller suspended
   * between authentication and its write.
   */
  private async countFollow(tx: Tx, src: UserId, dst: UserId, delta: number): Promise<void> {
    const source = await tx.user(src);
    const target = await tx.user(dst);
    if (target && !isHidden(target.state)) await tx.adjustCounts(src, 0, delta);
    if (source && !isHidden(source.state)) await tx.adjustCounts(dst, delta, 0);
  }

  /**
   * Follows, or requests to follow a protected account. v1.1 lifted the caller's own block on
   * the target first; v2 refused instead (`liftBlock: false`).
   */
  follow(actor: Actor, targetId: UserId, opts: { notify: boolean; liftBlock?: boolean }): Promise<WriteResult & { outcome: FollowOutcome }> {
    // The work below may run more than once (PostgreSQL replays a transaction that lost a
    // conflict), but the daily quota is taken once per call: by the first attempt that reaches
    // a new follow, whose answer later attempts reuse.
    let allowed: Promise<boolean> | undefined;
    return this.store.transaction(async (tx) => {
      if (actor.userId === targetId) throw new GraphRuleError('self-follow');
      const target = await this.target(tx, targetId);
      const before = await relationIn(tx, actor.userId, targetId);
      if (before.blockedBy) throw new GraphRuleError('blocked-by-target');
      if (before.blocking && opts.liftBlock === false) throw new GraphRuleError('blocking-target');
      // Following someone you block lifts the block first (the web client asked; the API just did it).
      if (before.blocking) await this.toggle(tx, 'block', false, actor.userId, targetId);

      let outcome: FollowOutcome = 'unchanged';
      if (before.following) {
        if (opts.notify) await tx.setFollowAttrs(actor.userId, targetId, { notifications: true, wantRetweets: before.wantRetweets });
      } else if (target.protected && before.requestSent) {
        throw new GraphRuleError('already-requested', target);
      } else {
        const me = await tx.user(actor.userId);
        if (!me || overFollowingRatio(this.policy, me)) throw new GraphRuleError('follow-limit');
        if (!(await (allowed ??= this.quota.take(actor.userId, actor.appId)))) throw new GraphRuleError('follow-limit');
        if (target.protected) {
          await tx.addEdge('request', actor.userId, targetId);
          outcome = 'requested';
        } else {
          await this.addFollow(tx, actor.userId, targetId, opts.notify);
          outcome = 'followed';
        }
      }
      return { user: (await tx.user(targetId))!, before, outcome };
    });
  }

  /** Unfollows, and withdraws a pending request; a no-op when neither exists. */
  unfollow(actor: Actor, targetId: UserId): Promise<WriteResult> {
    return this.store.transaction(async (tx) => {
      await this.target(tx, targetId);
      const before = await relationIn(tx, actor.userId, targetId);
      await this.removeFollow(tx, actor.userId, targetId);
      await tx.removeEdge('request', actor.userId, targetId);
      return { user: (await tx.user(targetId))!, before };
    });
  }

  /** Device notifications and retweets on an existing follow; nothing changes without one. */
  updateFollow(actor: Actor, targetId: UserId, change: { device?: boolean; retweets?: boolean }): Promise<{ source: UserRow; target: UserRow; after: Relation }> {
    return this.store.transaction(async (tx) => {
      const target = await this.target(tx, targetId);
      const attrs = await tx.followAttrs(actor.userId, targetId);
      if (attrs && actor.userId !== targetId) {
        await tx.setFollowAttrs(actor.userId, targetId, {
          notifications: change.device ?? attrs.notifications,
          wantRetweets: change.retweets ?? attrs.wantRetweets,
        });
      }
      const source = (await tx.user(actor.userId))!;
      return { source, target, after: await relationIn(tx, actor.userId, targetId) };
    });
  }

  /** The actor approves the requester's pending follow request. */
  accept(actor: Actor, requesterId: UserId): Promise<WriteResult> {
    return this.store.transaction(async (tx) => {
      await this.target(tx, requesterId);
      const before = await relationIn(tx, actor.userId, requesterId);
      if (!(await tx.removeEdge('request', requesterId, actor.userId))) throw new GraphRuleError('no-pending-request');
      await this.addFollow(tx, requesterId, actor.userId);
      return { user: (await tx.user(requesterId))!, before };
    });
  }

  deny(actor: Actor, requesterId: UserId): Promise<WriteResult> {
    return this.store.transaction(async (tx) => {
      await this.target(tx, requesterId);
      const before = await relationIn(tx, actor.userId, requesterId);
      if (!(await tx.removeEdge('request', requesterId, actor.userId))) throw new GraphRuleError('no-pending-request');
      return { user: (await tx.user(requesterId))!, before };
    });
  }

  /** The actor withdraws their own pending request to the target. */
  cancel(actor: Actor, targetId: UserId): Promise<WriteResult> {
    return this.store.transaction(async (tx) => {
      await this.target(tx, targetId);
      const before = await relationIn(tx, actor.userId, targetId);
      if (!(await tx.removeEdge('request', actor.userId, targetId))) throw new GraphRuleError('no-pending-request');
      return { user: (await tx.user(targetId))!, before };
    });
  }

  acceptAll(actor: Actor): Promise<number> {
    return this.store.transaction((tx) => this.acceptAllIn(tx, actor.userId));
  }

  private async acceptAllIn(tx: Tx, userId: UserId): Promise<number> {
    const requesters = await tx.allEdges('request', 'in', userId);
    for (const requester of requesters) {
      await tx.removeEdge('request', requester, userId);
      await this.addFollow(tx, requester, userId);
    }
    return requesters.length;
  }

  /** Blocks, and destroys follows and pending requests in both directions. Blocking oneself is a no-op. */
  block(actor: Actor, targetId: UserId): Promise<WriteResult> {
    return this.store.transaction(async (tx) => {
      const target = await this.target(tx, targetId);
      const before = await relationIn(tx, actor.userId, targetId);
      if (actor.userId === targetId) return { user: target, before };
      await this.toggle(tx, 'block', true, actor.userId, targetId);
      await this.removeFollow(tx, actor.userId, targetId, false);
      await this.removeFollow(tx, targetId, actor.userId, false);
      await tx.removeEdge('request', actor.userId, targetId);
      await tx.removeEdge('request', targetId, actor.userId);
      return { user: (await tx.user(targetId))!, before };
    });
  }

  /** Lifts a block; what the block destroyed stays destroyed. */
  unblock(actor: Actor, targetId: UserId): Promise<WriteResult> {
    return this.store.transaction(async (tx) => {
      await this.target(tx, targetId);
      const before = await relationIn(tx, actor.userId, targetId);
      await this.toggle(tx, 'block', false, actor.userId, targetId);
      return { user: (await tx.user(targetId))!, before };
    });
  }

  mute(actor: Actor, targetId: UserId): Promise<WriteResult> {
    return this.store.transaction(async (tx) => {
      await this.target(tx, targetId);
      if (actor.userId === targetId) throw new GraphRuleError('self-mute');
      const before = await relationIn(tx, actor.userId, targetId);
      await this.toggle(tx, 'mute', true, actor.userId, targetId);
      return { user: (await tx.user(targetId))!, before };
    });
  }

  unmute(actor: Actor, targetId: UserId): Promise<WriteResult> {
    return this.store.transaction(async (tx) => {
      await this.target(tx, targetId);
      const before = await relationIn(tx, actor.userId, targetId);
      if (!(await this.toggle(tx, 'mute', false, actor.userId, targetId))) throw new GraphRuleError('not-muting');
      return { user: (await tx.user(targetId))!, before };
    });
  }

  /** Name, url, location, description: Twitter's limits, one event per field that changed (profile.ts). */
  updateProfile(userId: UserId, change: ProfileChange): Promise<UserRow> {
    return updateProfile(this.store, userId, change);
  }

  /** Making an account public approves everyone still waiting. */
  setProtected(userId: UserId, value: boolean): Promise<UserRow> {
    return this.store.transaction(async (tx) => {
      const user = await tx.user(userId, { forUpdate: true });
      if (!user) throw new GraphRuleError('target-not-found');
      await tx.updateUser(userId, { protected: value });
      if (user.protected && !value) await this.acceptAllIn(tx, userId);
      return (await tx.user(userId))!;
    });
  }

  /**
   * Suspended and deactivated users leave everyone's lists and counts; restoring them puts them
   * back. The store moves the user's rows in other lists with the state (Tx.updateUser); the
   * counts move here, in the same transaction.
   */
  setState(userId: UserId, state: UserState): Promise<UserRow> {
    return this.store.transaction(async (tx) => {
      const user = await tx.user(userId, { forUpdate: true });
      if (!user) throw new GraphRuleError('target-not-found');
      const was = isHidden(user.state);
      const will = isHidden(state);
      await tx.updateUser(userId, { state });
      if (was !== will) await tx.adjustNeighbourCounts(userId, will ? -1 : 1);
      return (await tx.user(userId))!;
    });
  }
}
