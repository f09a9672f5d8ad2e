// The Events page's live feed: `change` after an API write to webhooks or subscriptions, and
// `attempt` after each delivery attempt, still after a reset has rebuilt the services.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { EmulatorHarness } from '../support/emulator.js';
import { openEventStream } from '../support/event-stream.js';
import type { Receiver } from '../support/webhook-receiver.js';
import { startWebhookEmulator } from '../support/webhook-emulator.js';

let h: EmulatorHarness;
let rx: Receiver;
let close: () => Promise<void>;
before(async () => { ({ h, rx, close } = await startWebhookEmulator(['alice', 'bob'])); });
after(() => close());

test('the stream says change after webhook writes and attempt after each delivery, across a reset', { timeout: 20_000 }, async () => {
  const stream = await openEventStream(`${h.url}/_roost/deliveries/stream`);
  assert.equal(stream.status, 200);
  assert.match(stream.contentType!, /^text\/event-stream/);
  const event = stream.event;
  try {
    assert.equal((await h.admin('POST', 'reset')).status, 200);
    await event('change');
    const hook = ((await h.appClient().v2.post('webhooks', { url: rx.url })) as any).data.id as string;
    await event('change');
    const alice = h.client('alice');
    const me = (await alice.v2.me()).data.id;
    await alice.v2.post(`account_activity/webhooks/${hook}/subscriptions/all`, {});
    await event('change');
    await alice.v2.follow(me, (await alice.v2.userByUsername('bob')).data.id);
    const attempt = await event('attempt');
    assert.equal(attempt.webhook_id, hook);
    assert.equal(attempt.status, 200);
  } finally {
    stream.close();
  }
  assert.equal((await fetch(`${h.url}/_roost/deliveries/stream`)).status, 401);
});
