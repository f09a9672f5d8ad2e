// The WAL position of each user's latest write, kept until every replica in rotation must have
// replayed it (a replica further behind leaves the rotation). In this process's memory, and in
// Redis when configured so that every roost process sees a write made through another.
import type { RedisLink } from '../../shared-state/redis.js';
import { lsnFromKey, lsnKey, PRIMARY_ONLY, type Lsn } from './lsn.js';

// Keeps the greater of two positions (fixed-width hex compares as text) and renews the expiry.
const KEEP_MAX = `local c = redis.call('GET', KEYS[1])
if c and c >= ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1`;

const SWEEP_ABOVE = 10_000;

export class CallerPositions {
  private readonly memory = new Map<bigint, { lsn: Lsn; until: number }>();

  constructor(private readonly ttlMs: number, private readonly redis: RedisLink | null) {}

  async note(userId: bigint, lsn: Lsn): Promise<void> {
    const now = Date.now();
    const had = this.memory.get(userId);
    this.memory.set(userId, { lsn: had && had.until > now && had.lsn > lsn ? had.lsn : lsn, until: now + this.ttlMs });
    if (this.memory.size > SWEEP_ABOVE) this.sweep(now);
    const redis = this.redis;
    if (redis) await redis.run((r) => r.eval(KEEP_MAX, 1, key(userId), lsnKey(lsn), String(this.ttlMs)), () => undefined);
  }

  /** The position this user's reads need, or null. Without an answer from Redis: the primary's. */
  async need(userId: bigint): Promise<Lsn | null> {
    const had = this.memory.get(userId);
    const local = had && had.until > Date.now() ? had.lsn : null;
    const redis = this.redis;
    if (!redis) return local;
    // Another process may have taken this user's last write: without Redis that is unknown.
    const shared = await redis.run(async (r) => {
      const v = await r.get(key(userId));
      return v === null ? null : lsnFromKey(v);
    }, () => PRIMARY_ONLY);
    if (shared === null) return local;
    return local !== null && local > shared ? local : shared;
  }

  private sweep(now: number): void {
    for (const [id, p] of this.memory) if (p.until <= now) this.memory.delete(id);
  }
}

function key(userId: bigint): string {
  return `replica-lsn:${userId}`;
}
