// Single-use values (OAuth 2.0 authorization codes, OAuth 1.0a request tokens and verifiers) in
// Redis, so a flow started on one roost process can finish on another. take() is GETDEL: two
// processes racing to redeem one code cannot both get it.
import type { RedisLink } from '../shared-state/redis.js';
import { RedisKeyValue } from '../shared-state/redis-kv.js';
import { MemorySingleUseStore, type SingleUseStore } from './single-use-store.js';

const KEY = (key: string) => `once:${key}`;

export class RedisSingleUseStore implements SingleUseStore {
  private readonly kv: RedisKeyValue;

  /**
   * `memory` holds values put while Redis is down; they are found (by the process that holds
   * them) before Redis is asked, so a flow begun during an outage can still finish there.
   */
  constructor(private readonly link: RedisLink, private readonly memory: SingleUseStore = new MemorySingleUseStore()) {
    this.kv = new RedisKeyValue(link.client);
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.link.run(() => this.kv.put(KEY(key), value, ttlMs), () => this.memory.put(key, value, ttlMs));
  }

  async get(key: string): Promise<string | null> {
    const local = await this.memory.get(key);
    if (local !== null) return local;
    return this.link.run(() => this.kv.get(KEY(key)), () => null);
  }

  async take(key: string): Promise<string | null> {
    const local = await this.memory.take(key);
    if (local !== null) return local;
    return this.link.run(() => this.kv.take(KEY(key)), () => null);
  }
}
