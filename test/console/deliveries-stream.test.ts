// The Events page's live feed: `change` after an API write to webhooks or subscriptions, and
// `attempt` after each delivery attempt, still after a reset has rebuilt the services.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN_TOKEN, startEmulator, type EmulatorHarness } from '../support/emulator.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';

const FIXTURE = `
apps:
  demo: { consumer_key: ck, consumer_secret: cs }
users:
  alice: {}
  bob: {}
tokens:
  alice: { app: demo }
  bob: { app: demo }
`;

let h: EmulatorHarness;
let rx: Receiver;
before(async () => {
  h = await startEmulator(FIXTURE, {}, false);
  rx = await startReceiver(() => 'cs');
});
after(async () => {
  await h.close();
  await rx.close();
});

test('the stream says change after webhook writes and attempt after each delivery, across a reset', { timeout: 20_000 }, async () => {
  const abort = new AbortController();
  const res = await fetch(`${h.url}/_roost/deliveries/stream`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: abort.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
  const reader = res.body!.getReader();
  let buffer = '';
  const event = async (name: string): Promise<any> => {
    for (;;) {
      const m = new RegExp(`event: ${name}\\ndata: (.*)\\n\\n`).exec(buffer);
      if (m) {
        buffer = buffer.slice(m.index + m[0].length);
        return JSON.parse(m[1]!);
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += new TextDecoder().decode(value);
    }
  };
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
    abort.abort();
  }
  assert.equal((await fetch(`${h.url}/_roost/deliveries/stream`)).status, 401);
});
