import type { Clock } from '../clock.js';
import type { FollowPolicy, FollowQuota } from '../graph/follow-policy.js';
import type { WindowStore } from './window-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Daily follow allowances per user and per app, counted in the shared window store. */
export class WindowFollowQuota implements FollowQuota {
  constructor(private readonly windows: WindowStore, private readonly clock: Clock, private readonly policy: FollowPolicy) {}

  async take(userId: bigint, appId: bigint | null): Promise<boolean> {
    const now = this.clock.now();
    const { followsPerDay, followsPerAppPerDay } = this.policy;
    if (followsPerDay !== null) {
      const w = await this.windows.hit(`follows:user:${userId}`, DAY_MS, now);
      if (w.count > followsPerDay) return false;
    }
    if (followsPerAppPerDay !== null && appId !== null) {
      const w = await this.windows.hit(`follows:app:${appId}`, DAY_MS, now);
      if (w.count > followsPerAppPerDay) return false;
    }
    return true;
  }
}
