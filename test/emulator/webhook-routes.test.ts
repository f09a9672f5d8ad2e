// The emulator's webhook admin routes: webhooks and subscriptions of every app listed, a delivery
// sent again (signed, recorded as a second attempt) with bad input refused; and a profile edit
// from the console raising profile.update.* events like the API's update_profile.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { EmulatorHarness } from '../support/emulator.js';
import type { Receiver } from '../support/webhook-receiver.js';
import { startWebhookEmulator } from '../support/webhook-emulator.js';

let h: EmulatorHarness;
let rx: Receiver;
let close: () => Promise<void>;
let hook: string;
let aliceId: string;
before(async () => {
  ({ h, rx, close } = await startWebhookEmulator(['alice', 'bob']));
  hook = ((await h.appClient().v2.post('webhooks', { url: rx.url })) as any).data.id;
  const alice = h.client('alice');
  aliceId = (await alice.v2.me()).data.id;
  await alice.v2.post(`account_activity/webhooks/${hook}/subscriptions/all`, {});
});
after(() => close());

async function attemptsFor(seq: string, n: number): Promise<any[]> {
  let log: any[] = [];
  for (let i = 0; i < 200; i++) {
    log = (await h.admin('GET', 'deliveries')).json.deliveries.filter((d: any) => d.event_seq === seq);
    if (log.length >= n) return log;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${log.length} of ${n} attempts for event ${seq}`);
}

test('webhooks and subscriptions of every app are listed, with names and ids as strings', async () => {
  const { webhooks } = (await h.admin('GET', 'webhooks')).json;
  assert.deepEqual(webhooks.map((w: any) => [w.id, w.app, w.url, w.valid]), [[hook, 'demo', rx.url, true]]);
  assert.deepEqual(webhooks[0].account_activity, [{ user_id: aliceId, screen_name: 'alice' }]);
  const subs = (await h.admin('GET', 'subscriptions')).json;
  assert.deepEqual(subs.account_activity, [{ webhook_id: hook, app: 'demo', user_id: aliceId, screen_name: 'alice' }]);
  assert.ok(Array.isArray(subs.activity));
  assert.equal((await fetch(`${h.url}/_roost/webhooks`)).status, 401);
});

test('a delivery is sent again, signed, and its second attempt recorded', async () => {
  const bob = h.client('bob');
  await bob.v2.follow((await bob.v2.me()).data.id, aliceId);
  const [first] = await rx.waitFor(1);
  assert.equal(first!.body.follow_events[0].type, 'follow');
  // The receiver can hear the delivery before roost has logged its answer: wait for the log.
  let logged: any[] = [];
  for (let i = 0; i < 200 && logged.length === 0; i++) {
    logged = (await h.admin('GET', 'deliveries')).json.deliveries;
    if (logged.length === 0) await new Promise((r) => setTimeout(r, 20));
  }
  const [attempt] = await attemptsFor(logged[0]?.event_seq, 1);
  const seq = attempt.event_seq;
  const again = await h.admin('POST', 'deliveries/resend', { webhook_id: hook, event_seq: seq });
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json.deliveries.map((d: any) => [d.webhook_id, d.event_seq, d.status, d.answer]), [[hook, seq, 200, 'ok']]);
  const got = await rx.waitFor(2);
  assert.equal(got[1]!.text, got[0]!.text, 'the same body');
  assert.ok(got[1]!.signed);
  assert.equal((await attemptsFor(seq, 2)).length, 2);

  assert.equal((await h.admin('POST', 'deliveries/resend', { webhook_id: 'x', event_seq: seq })).status, 400);
  assert.equal((await h.admin('POST', 'deliveries/resend', { webhook_id: hook })).status, 400);
  assert.equal((await h.admin('POST', 'deliveries/resend', { webhook_id: '123', event_seq: seq })).status, 404);
  assert.equal((await h.admin('POST', 'deliveries/resend', { webhook_id: hook, event_seq: '999999' })).status, 404);
});

test('a profile edit in the console raises the profile.update events update_profile raises', async () => {
  const sub = await h.appClient().v2.post('activity/subscriptions', { event_type: 'profile.update.bio', filter: { user_id: aliceId }, webhook_id: hook }) as any;
  assert.ok(sub.data.subscription.subscription_id, JSON.stringify(sub));
  const before = rx.received.length;
  const edited = await h.admin('POST', 'users/alice', { description: 'edited in the console', location: 'Lisbon' });
  assert.equal(edited.status, 200, edited.text);
  const got = (await rx.waitFor(before + 1)).slice(before);
  const event = got[0]!.body.data;
  assert.equal(event.event_type, 'profile.update.bio');
  assert.equal(JSON.stringify(event).includes('edited in the console'), true, JSON.stringify(event));
  assert.equal((await h.admin('POST', 'users/alice', { description: 'x'.repeat(161) })).status, 400);
});

test('after a reset the lists answer empty, not an error', async () => {
  assert.equal((await h.admin('POST', 'reset')).status, 200);
  assert.deepEqual((await h.admin('GET', 'webhooks')).json, { webhooks: [] });
  assert.deepEqual((await h.admin('GET', 'subscriptions')).json, { account_activity: [], activity: [] });
  assert.deepEqual((await h.admin('GET', 'deliveries')).json, { deliveries: [] });
});
