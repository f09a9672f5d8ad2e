// Atomic key/value operations on Redis with expiry, for any short-lived shared value (nonces,
// authorization codes, request tokens). Each method is one Redis command, so two processes
// racing on one key see exactly one winner. Errors propagate: RedisLink.run decides what a
// caller does without Redis.
import type { Redis } from 'ioredis';

export class RedisKeyValue {
  constructor(private readonly redis: Redis) {}

  /** Stores the value unless the key holds one already (SET NX PX); true if this call stored it. */
  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Stores the value, replacing any (SET PX). */
  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(key, value, 'PX', ttlMs);
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  /** Reads and deletes in one command (GETDEL, Redis 6.2+): at most one caller gets the value. */
  async take(key: string): Promise<string | null> {
    return this.redis.getdel(key);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(key)) > 0;
  }
}
