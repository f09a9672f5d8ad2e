// The webhook port on each backend: one lease holder per webhook until the lease expires, a
// cursor that only moves forward, a bounded attempt log, and a delete that takes everything with it.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ATTEMPTS_KEPT } from '../../src/store/webhook-types.js';
import { backends } from './backends.js';

for (const b of backends()) {
  describe(b.name, () => {
    after(() => b.cleanup());
    const hook = { id: 9_000_000_000_000_000_001n, appId: 7n, url: 'https://hooks.example/x', valid: true, createdAt: 1, cursor: 0n };

    test('only one owner holds a webhook\'s lease until it expires; the holder renews and releases it', async () => {
      const s = await b.fresh();
      const w = s.webhooks;
      await w.insertWebhook(hook);
      assert.equal(await w.lease(hook.id, 'a', 1000, 2000), true);
      assert.equal(await w.lease(hook.id, 'b', 1500, 2500), false, 'held by a');
      assert.equal(await w.lease(hook.id, 'a', 1500, 2500), true, 'a renews');
      assert.equal(await w.lease(hook.id, 'b', 2400, 3400), false);
      assert.equal(await w.lease(hook.id, 'b', 2600, 3600), true, 'expired: b takes over');
      await w.releaseLease(hook.id, 'a'); // not a's any more: no effect
      assert.equal(await w.lease(hook.id, 'a', 2700, 3700), false);
      await w.releaseLease(hook.id, 'b');
      assert.equal(await w.lease(hook.id, 'a', 2700, 3700), true);
    });

    test('the cursor moves forward only; the attempt log keeps the newest; delete takes subscriptions and attempts', async () => {
      const s = await b.fresh();
      const w = s.webhooks;
      await w.insertWebhook(hook);
      await w.recordDelivery(hook.id, [], 5n);
      await w.recordDelivery(hook.id, [], 3n);
      assert.equal((await w.webhook(hook.id))!.cursor, 5n);
      for (let i = 1; i <= ATTEMPTS_KEPT + 5; i++) {
        await w.recordDelivery(hook.id, [{ webhookId: hook.id, eventSeq: BigInt(i), kind: 'k', at: i, status: 200, ms: 1, error: null, answer: 'ok', body: '{}' }], null);
      }
      const kept = await w.attempts(1000, hook.id);
      assert.equal(kept.length, ATTEMPTS_KEPT);
      assert.equal(kept[0]!.eventSeq, BigInt(ATTEMPTS_KEPT + 5));
      assert.equal(await w.subscribe(hook.id, 42n, 1), true);
      assert.equal(await w.subscribe(hook.id, 42n, 2), false);
      assert.equal(await w.countSubscriptions(hook.appId), 1);
      const now = 1;
      const sub = { id: 77n, appId: hook.appId, eventType: 'follow.follow', userId: 42n, direction: null, tag: null, webhookId: hook.id, createdAt: now, updatedAt: now };
      await s.activity.insert(sub, 10);
      assert.equal(await w.deleteWebhook(hook.id), true);
      assert.deepEqual((await s.activity.list(hook.appId, 0n, 10)).map((r) => [r.id, r.webhookId]), [[77n, null]], 'the subscription stays, naming no webhook');
      assert.equal(await w.webhook(hook.id), undefined);
      assert.deepEqual(await w.attempts(10, hook.id), []);
      assert.equal(await w.countSubscriptions(hook.appId), 0);
      assert.equal(await w.deleteWebhook(hook.id), false);
    });

    test('a batch\'s attempts and its cursor are written together; the log keeps the newest; the cursor never goes back', async () => {
      const s = await b.fresh();
      const w = s.webhooks;
      await w.insertWebhook(hook);
      const attempt = (i: number, status: number | null) => ({ webhookId: hook.id, eventSeq: BigInt(i), kind: 'k', at: i, status, ms: 1.4, error: status === null ? 'refused' : null, answer: status === null ? '' : 'ok', body: `{"n":${i}}` });
      await w.recordDelivery(hook.id, [attempt(1, 200), attempt(2, null)], 1n);
      assert.equal((await w.webhook(hook.id))!.cursor, 1n);
      assert.deepEqual((await w.attempts(10, hook.id)).map((a) => [a.eventSeq, a.status, a.error, a.body, a.ms]), [[2n, null, 'refused', '{"n":2}', 1], [1n, 200, null, '{"n":1}', 1]]);
      await w.recordDelivery(hook.id, [], 0n);
      assert.equal((await w.webhook(hook.id))!.cursor, 1n, 'never back');
      const many = Array.from({ length: ATTEMPTS_KEPT + 3 }, (_, i) => attempt(7 + i, 200)); // more than the log keeps
      await w.recordDelivery(hook.id, many, null);
      assert.equal((await w.webhook(hook.id))!.cursor, 1n, 'null leaves it');
      const kept = await w.attempts(1000, hook.id);
      assert.equal(kept.length, ATTEMPTS_KEPT);
      assert.equal(kept[0]!.eventSeq, BigInt(10 + ATTEMPTS_KEPT - 1));
      assert.equal(kept.at(-1)!.eventSeq, 10n);
    });
  });
}
