import type { UserRow } from '../store/types.js';

/** Twitter's follow limits (§13.6); each can be turned off with null. */
export interface FollowPolicy {
  followsPerDay: number | null;
  followsPerAppPerDay: number | null;
  followingCap: number | null;
  followingRatio: number;
}

export const DEFAULT_FOLLOW_POLICY: FollowPolicy = {
  followsPerDay: 400,
  followsPerAppPerDay: 1000,
  followingCap: 5000,
  followingRatio: 1.1,
};

/** Past the cap, a user may follow more only while they follow fewer than ratio x their followers. */
export function overFollowingRatio(policy: FollowPolicy, actor: Pick<UserRow, 'friendsCount' | 'followersCount'>): boolean {
  if (policy.followingCap === null) return false;
  if (actor.friendsCount < policy.followingCap) return false;
  // The epsilon keeps float error from moving the line: 10 x 1.1 is 11.000000000000002.
  return actor.friendsCount >= actor.followersCount * policy.followingRatio - 1e-9;
}

/** Counts follow actions in rolling daily windows; shared across processes when Redis is set. */
export interface FollowQuota {
  /** Takes one follow from the user's and the app's daily allowance; false when either is spent. */
  take(userId: bigint, appId: bigint | null): Promise<boolean>;
}
