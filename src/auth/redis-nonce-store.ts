// OAuth 1.0a nonces in Redis, so a request captured on its way to one roost process cannot be
// replayed against another. One SET NX PX per request: the first process to record a nonce wins.
// Keys are fixed-size digests that expire with the nonce's timestamp window, so Redis holds at
// most the signed requests of one window.
import type { RedisLink } from '../shared-state/redis.js';
import { RedisKeyValue } from '../shared-state/redis-kv.js';
import { MemoryNonceStore, type NonceAnswer, type NonceStore } from './nonce-store.js';

export class RedisNonceStore implements NonceStore {
  private readonly kv: RedisKeyValue;

  /** `memory` records nonces only while Redis is down. */
  constructor(private readonly link: RedisLink, private readonly memory = new MemoryNonceStore()) {
    this.kv = new RedisKeyValue(link.client);
  }

  async record(digest: Buffer, expiresAt: number, now: number): Promise<NonceAnswer> {
    // A nonce recorded in memory during an outage stays refused after Redis is back, until it expires.
    if (this.memory.has(digest, now)) return 'seen';
    const ttl = Math.max(1, Math.ceil(expiresAt - now));
    return this.link.run(
      async () => ((await this.kv.putIfAbsent(`nonce:${digest.toString('base64url')}`, '1', ttl)) ? 'new' : 'seen'),
      () => this.memory.record(digest, expiresAt, now),
    );
  }

  close(): void {}
}
