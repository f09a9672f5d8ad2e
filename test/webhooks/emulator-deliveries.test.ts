// Emulator mode: a webhook on a loopback http receiver is allowed; /_roost/deliveries shows each
// attempt with its status and answer, and /_roost/deliveries/fail-next makes the next ones fail
// on purpose (then they are retried and arrive, in order).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { EmulatorHarness } from '../support/emulator.js';
import type { Receiver } from '../support/webhook-receiver.js';
import { startWebhookEmulator } from '../support/webhook-emulator.js';

let h: EmulatorHarness;
let rx: Receiver;
let close: () => Promise<void>;
before(async () => { ({ h, rx, close } = await startWebhookEmulator(['alice', 'bob', 'carol'])); });
after(() => close());

test('fail-next fails deliveries on purpose; the deliveries log shows them, then the retries that arrive', async () => {
  const app = h.appClient();
  const created: any = await app.v2.post('webhooks', { url: rx.url });
  assert.equal(created.data.valid, true);
  const alice = h.client('alice');
  await alice.v2.post(`account_activity/webhooks/${created.data.id}/subscriptions/all`, {});
  assert.equal((await h.admin('POST', 'deliveries/fail-next', { count: 2, status: 502 })).status, 200);
  assert.equal((await h.admin('POST', 'deliveries/fail-next', { count: -1 })).status, 400);
  const me = (await alice.v2.me()).data.id;
  for (const name of ['bob', 'carol']) {
    const c = h.client(name);
    await c.v2.follow((await c.v2.me()).data.id, me);
  }
  const got = await rx.waitFor(2, 15_000);
  assert.deepEqual(got.map((g) => g.body.follow_events[0].source.screen_name), ['bob', 'carol']);
  assert.ok(got.every((g) => g.signed));
  // The receiver has the body before roost has its answer: wait for the log to record the last.
  let log: any[] = [];
  for (let i = 0; i < 100 && log.filter((d) => d.ok).length < 2; i++) {
    log = (await h.admin('GET', 'deliveries')).json.deliveries;
    await new Promise((r) => setTimeout(r, 20));
  }
  const oldestFirst = log.reverse();
  assert.deepEqual(oldestFirst.map((d) => d.status), [502, 502, 200, 200]);
  assert.equal(oldestFirst[0].error, 'failed on purpose (fail-next)');
  assert.equal(oldestFirst[2].answer, 'ok');
  assert.equal(oldestFirst[2].kind, 'account_activity');
  assert.equal(oldestFirst[2].webhook_id, created.data.id);
});
