// The periodic CRC re-check (ROOST_WEBHOOK_CRC_INTERVAL_MS), as X re-checks registered webhooks:
// a receiver that starts answering wrongly is marked invalid and receives nothing; once it answers
// rightly again it is valid and gets what it missed, in order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { post } from '../support/calls.js';
import type { Harness, TestUser } from '../support/harness.js';
import { call, startV2Harness } from '../support/v2.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';

const SETTINGS = { ...loadConfig({}, {}).webhooks, allow: ['127.0.0.1'], crcIntervalMs: 100, pollMs: 50, retryMinMs: 30, retryMaxMs: 120, timeoutMs: 1000, crcTimeoutMs: 1000 };

let h: Harness;
let rx: Receiver;
let ann: TestUser;
let bob: TestUser;
const bearer = () => ({ bearer: h.app.bearerToken! });

before(async () => {
  h = await startV2Harness({ webhooks: SETTINGS });
  rx = await startReceiver(() => h.app.consumerSecret);
  [ann, bob] = [await h.user('ann'), await h.user('bob')];
});
after(async () => {
  await h.close();
  await rx.close();
});

async function validity(want: boolean): Promise<void> {
  const until = Date.now() + 5000;
  for (;;) {
    const r = await call(h, 'GET', '/2/webhooks', bearer());
    if (r.json.data[0].valid === want) return;
    if (Date.now() > until) throw new Error(`the webhook stayed valid=${!want}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a webhook that fails a periodic CRC check is invalid and skipped until it passes again', async () => {
  const r = await call(h, 'POST', '/2/webhooks', bearer(), { json: { url: rx.url } });
  assert.equal(r.status, 200, r.text);
  const path = `/2/account_activity/webhooks/${r.json.data.id}/subscriptions/all`;
  assert.equal((await call(h, 'POST', path, { user: ann }, { json: {} })).status, 200);
  const checks = rx.crcChecks;
  rx.wrongCrc = true;
  await validity(false);
  assert.ok(rx.crcChecks > checks, 'checked again without being asked');
  await post(bob.client, 'friendships/create', { user_id: ann.user.id.toString() });
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(rx.received.length, 0, 'nothing is sent to an invalid webhook');
  rx.wrongCrc = false;
  await validity(true);
  const [got] = await rx.waitFor(1);
  assert.ok(got!.signed);
  assert.equal(got!.body.follow_events[0].source.id_str, bob.user.id.toString());
});
