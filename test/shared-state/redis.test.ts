// Shared state in Redis (ROOST_TEST_REDIS): windows, nonces and single-use values seen alike by
// two links (two processes), and what happens when Redis goes away, hangs, or is not there at
// start: answers from memory, one warning, no errors, and Redis again once it is back.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { nonceDigest } from '../../src/auth/nonce-store.js';
import { RedisNonceStore } from '../../src/auth/redis-nonce-store.js';
import { RedisSingleUseStore } from '../../src/auth/redis-single-use-store.js';
import { loadConfig } from '../../src/config.js';
import { RedisWindowStore } from '../../src/limits/redis-window-store.js';
import { RedisLink, type Log } from '../../src/shared-state/redis.js';
import { RedisKeyValue } from '../../src/shared-state/redis-kv.js';
import { TEST_REDIS, deleteRedisKeys } from '../support/backend.js';
import { startHarness } from '../support/harness.js';
import { TcpRelay } from '../support/tcp-relay.js';

/** Records a nonce for `ttl` ms; true if it was a replay. */
const seen = async (store: RedisNonceStore, nonce: string, ttl: number, now: number) =>
  (await store.record(nonceDigest('ck', 'tok', nonce), now + ttl, now)) !== 'new';

const PREFIX = `roost-test:redis_${process.pid}_${Math.random().toString(36).slice(2, 8)}:`;

class Captured implements Log {
  readonly lines: string[] = [];
  warn(msg: string) { this.lines.push(`warn ${msg}`); }
  info(msg: string) { this.lines.push(`info ${msg}`); }
}

const links: RedisLink[] = [];
async function link(url = TEST_REDIS!, log: Log = new Captured(), extra: { waitMs?: number; commandTimeoutMs?: number } = {}) {
  const l = await RedisLink.open(url, { prefix: PREFIX, log, ...extra });
  links.push(l);
  return l;
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('shared state in Redis', { skip: !TEST_REDIS && 'ROOST_TEST_REDIS is not set' }, () => {
  after(async () => {
    for (const l of links) await l.close();
    await deleteRedisKeys(TEST_REDIS!, PREFIX);
  });

  it('counts one window across processes, with one reset time, and opens a new one when it ends', async () => {
    const [a, b] = [new RedisWindowStore(await link()), new RedisWindowStore(await link())];
    const t0 = 1_800_000_000_000;
    assert.deepEqual(await a.hit('w1', 900_000, t0), { count: 1, resetAt: t0 + 900_000 });
    assert.deepEqual(await b.hit('w1', 900_000, t0 + 5), { count: 2, resetAt: t0 + 900_000 });
    assert.deepEqual(await a.peek('w1', t0 + 6), { count: 2, resetAt: t0 + 900_000 });
    assert.equal(await b.peek('w1', t0 + 900_000), null, 'an ended window is not shown');
    assert.deepEqual(await b.hit('w1', 900_000, t0 + 900_000), { count: 1, resetAt: t0 + 1_800_000 });
    assert.equal(await a.peek('nothing', t0), null);
    // Many hits at once from two processes: each counted once.
    const all = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).hit('w2', 60_000, t0)));
    assert.deepEqual(all.map((w) => w.count).sort((x, y) => x - y), Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('refuses a nonce a second time, whichever process saw it first', async () => {
    const [a, b] = [new RedisNonceStore(await link()), new RedisNonceStore(await link())];
    const now = Date.now();
    assert.equal(await seen(a, 'ck\ntok\nnonce-1', 600_000, now), false);
    assert.equal(await seen(b, 'ck\ntok\nnonce-1', 600_000, now), true);
    assert.equal(await seen(a, 'ck\ntok\nnonce-1', 600_000, now), true);
    const racing = await Promise.all(Array.from({ length: 20 }, (_, i) => seen((i % 2 ? a : b), 'ck\ntok\nrace', 600_000, now)));
    assert.equal(racing.filter((seen) => !seen).length, 1, 'exactly one first sighting');
  });

  it('hands a single-use value out once, to whichever process asks first', async () => {
    const [a, b] = [new RedisSingleUseStore(await link()), new RedisSingleUseStore(await link())];
    await a.put('code-1', 'v1', 60_000);
    assert.equal(await b.get('code-1'), 'v1');
    const takes = await Promise.all([a.take('code-1'), b.take('code-1'), a.take('code-1')]);
    assert.deepEqual(takes.filter((v) => v !== null), ['v1']);
    assert.equal(await b.get('code-1'), null);
    const kv = new RedisKeyValue((await link()).client);
    assert.equal(await kv.putIfAbsent('k', 'x', 60_000), true);
    assert.equal(await kv.putIfAbsent('k', 'y', 60_000), false);
    assert.equal(await kv.get('k'), 'x');
    assert.equal(await kv.delete('k'), true);
    assert.equal(await kv.get('k'), null);
  });

  it('keeps answering from memory while Redis is gone, warns once, and returns to Redis when it is back', async () => {
    const target = new URL(TEST_REDIS!);
    const relay = new TcpRelay({ host: target.hostname, port: Number(target.port || 6379) });
    await relay.start();
    const log = new Captured();
    const l = await link(`redis://127.0.0.1:${relay.port}`, log);
    const windows = new RedisWindowStore(l);
    const nonces = new RedisNonceStore(l);
    const direct = new RedisWindowStore(await link());
    const now = Date.now();
    assert.equal((await windows.hit('outage', 60_000, now)).count, 1);
    assert.equal(await seen(nonces, 'n-before', 60_000, now), false);

    await relay.cut();
    await until(() => !l.available);
    const started = performance.now();
    // In memory now: a fresh window (the Redis count is out of reach), and nonces recorded locally.
    assert.equal((await windows.hit('outage', 60_000, now)).count, 1);
    assert.equal((await windows.hit('outage', 60_000, now)).count, 2);
    assert.equal(await seen(nonces, 'n-during', 60_000, now), false);
    assert.equal(await seen(nonces, 'n-during', 60_000, now), true);
    const took = performance.now() - started;
    assert.ok(took < 200, `no waiting on a dead Redis (${took} ms)`);
    assert.ok(l.fallbacks >= 3, `fallbacks ${l.fallbacks}`);
    assert.equal(log.lines.filter((x) => x.startsWith('warn')).length, 1, `one warning: ${log.lines.join(' | ')}`);

    await relay.start(relay.port);
    await until(() => l.available, 8000);
    assert.ok(log.lines.some((x) => x.startsWith('info Redis is back')), log.lines.join(' | '));
    // Back on Redis: the window continues from Redis's count, and the outage's nonce is still refused.
    assert.equal((await windows.hit('outage', 60_000, now)).count, 2);
    assert.equal((await direct.peek('outage', now))!.count, 2);
    assert.equal(await seen(nonces, 'n-during', 60_000, now), true);
    assert.equal(await seen(nonces, 'n-before', 60_000, now), true);
    await relay.cut();
  });

  it('skips a Redis that stops answering after one command timeout', async () => {
    const target = new URL(TEST_REDIS!);
    const relay = new TcpRelay({ host: target.hostname, port: Number(target.port || 6379) });
    await relay.start();
    const log = new Captured();
    const l = await link(`redis://127.0.0.1:${relay.port}`, log, { commandTimeoutMs: 200 });
    const windows = new RedisWindowStore(l);
    const now = Date.now();
    assert.equal((await windows.hit('hung', 60_000, now)).count, 1);
    relay.hung = true;
    const t1 = performance.now();
    assert.equal((await windows.hit('hung', 60_000, now)).count, 1, 'answered from memory');
    assert.ok(performance.now() - t1 < 1000);
    const t2 = performance.now();
    await Promise.all(Array.from({ length: 50 }, () => windows.hit('hung', 60_000, now)));
    assert.ok(performance.now() - t2 < 100, 'later calls do not wait while Redis is paused');
    assert.equal(log.lines.filter((x) => x.startsWith('warn')).length, 1);
    await relay.cut();
  });

  it('starts without Redis, and a server without Redis serves requests instead of failing them', async () => {
    const dead = new TcpRelay({ host: '127.0.0.1', port: 1 });
    await dead.start();
    const port = dead.port;
    await dead.cut(); // nothing listens there now
    const log = new Captured();
    const started = performance.now();
    const l = await link(`redis://127.0.0.1:${port}`, log, { waitMs: 300 });
    assert.ok(performance.now() - started < 2000);
    assert.equal(l.available, false);
    assert.match(log.lines[0] ?? '', /^warn Redis unavailable/);
    assert.equal((await new RedisWindowStore(l).hit('x', 1000, Date.now())).count, 1);

    const h = await startHarness({ redisUrl: `redis://127.0.0.1:${port}`, redisPrefix: PREFIX, rateLimits: true });
    try {
      const alice = await h.user('alice');
      for (let i = 0; i < 3; i++) {
        const me = await alice.client.v1.verifyCredentials();
        assert.equal(me.screen_name, 'alice');
      }
      assert.ok(h.server.services.redis!.fallbacks >= 6, 'windows and nonces answered from memory');
      // Operators see it: readiness stays 200 (the process serves from memory) but names Redis
      // down, and /metrics says so and counts the fallbacks.
      const ready = await fetch(`${h.url}/health/ready`);
      assert.equal(ready.status, 200);
      const body = (await ready.json()) as { status: string; checks: Record<string, string> };
      assert.equal(body.checks.redis, 'down');
      assert.equal(body.status, 'degraded');
      const metrics = await (await fetch(`${h.url}/metrics`)).text();
      assert.match(metrics, /^roost_redis_up 0$/m);
      assert.ok(Number(/^roost_redis_fallbacks_total (\d+)$/m.exec(metrics)?.[1]) >= 6, metrics);
    } finally {
      await h.close();
    }
  });

  it('checks REDIS_URL at start', () => {
    assert.equal(loadConfig({}, {}).redisUrl, null);
    assert.equal(loadConfig({}, { REDIS_URL: 'redis://h:6379/2' }).redisUrl, 'redis://h:6379/2');
    assert.throws(() => loadConfig({}, { REDIS_URL: 'http://h' }), /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    assert.throws(() => loadConfig({}, { REDIS_URL: 'nope' }), /REDIS_URL/);
  });
});
