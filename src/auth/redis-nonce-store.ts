// OAuth 1.0a nonces in Redis, so a request captured on its way to one roost process cannot be
// replayed against another. One SET NX PX per request: the first process to record a nonce wins.
import { createHash } from 'node:crypto';
import type { RedisLink } from '../shared-state/redis.js';
import { RedisKeyValue } from '../shared-state/redis-kv.js';
import { MemoryNonceStore, type NonceStore } from './nonce-store.js';

export class RedisNonceStore implements NonceStore {
  private readonly kv: RedisKeyValue;

  /** `memory` records nonces only while Redis is down. */
  constructor(private readonly link: RedisLink, private readonly memory = new MemoryNonceStore()) {
    this.kv = new RedisKeyValue(link.client);
  }

  async seen(key: string, ttlMs: number, now: number): Promise<boolean> {
    // A nonce recorded in memory during an outage stays refused after Redis is back, until it expires.
    if (this.memory.has(key, now)) return true;
    // Nonces are the client's text (any length): the key is their hash.
    const id = `nonce:${createHash('sha256').update(key).digest('base64url')}`;
    return this.link.run(
      async () => !(await this.kv.putIfAbsent(id, '1', ttlMs)),
      () => this.memory.seen(key, ttlMs, now),
    );
  }
}
