// Rate-limit windows (and the daily follow quotas, which are windows too) in Redis, so every
// roost process counts into the same window. While Redis is down each process counts in its
// own memory (see docs/scaling.md, "When Redis goes away").
import type { Redis } from 'ioredis';
import type { RedisLink } from '../shared-state/redis.js';
import { MemoryWindowStore, type WindowState, type WindowStore } from './window-store.js';

/**
 * One hit, atomically: a window is a hash {c: count, r: reset ms}. When none is open (or the
 * open one has ended by the caller's clock) a new one starts with reset = now + window, given
 * by the caller so all processes keep the same reset time; the key expires with its window.
 * KEYS[1] window; ARGV[1] now ms, ARGV[2] window ms, ARGV[3] now + window ms.
 */
const HIT = `
local r = tonumber(redis.call('HGET', KEYS[1], 'r'))
if (not r) or r <= tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'c', 0, 'r', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  r = tonumber(ARGV[3])
end
return {redis.call('HINCRBY', KEYS[1], 'c', 1), r}
`;

type WithHit = Redis & { roostWindowHit(key: string, now: number, windowMs: number, resetAt: number): Promise<[number, number]> };

export class RedisWindowStore implements WindowStore {
  private readonly redis: WithHit;

  constructor(private readonly link: RedisLink, private readonly memory: WindowStore = new MemoryWindowStore()) {
    // EVALSHA, loading the script on NOSCRIPT (after a Redis restart, for one).
    link.client.defineCommand('roostWindowHit', { numberOfKeys: 1, lua: HIT });
    this.redis = link.client as WithHit;
  }

  hit(key: string, windowMs: number, now: number): Promise<WindowState> {
    return this.link.run(async () => {
      const [count, resetAt] = await this.redis.roostWindowHit(key, now, windowMs, now + windowMs);
      return { count: Number(count), resetAt: Number(resetAt) };
    }, () => this.memory.hit(key, windowMs, now));
  }

  peek(key: string, now: number): Promise<WindowState | null> {
    return this.link.run(async () => {
      const [count, resetAt] = await this.redis.hmget(key, 'c', 'r');
      if (count === null || resetAt === null || Number(resetAt) <= now) return null;
      return { count: Number(count), resetAt: Number(resetAt) };
    }, () => this.memory.peek(key, now));
  }
}
