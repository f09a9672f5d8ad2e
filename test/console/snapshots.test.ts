// Named snapshots hold the whole emulator state: webhooks, both kinds of subscription, apps,
// tokens and passwords made at run time, edges and counts, fault rules and the clock come back
// from a restore, also in a new process on the same database; names are checked; delete removes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createApp, createToken, setPassword } from '../../src/admin/accounts.js';
import { fixtureYaml, startEmulator, type EmulatorHarness } from '../support/emulator.js';
import { sendSigned, signedRequest } from '../support/sign.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';

const FIXTURE = fixtureYaml({
  users: ['alice', 'bob', 'carol'],
  tokens: { alice: '{ app: demo, token: 1-alice, secret: as }', bob: '{ app: demo, token: 1-bob, secret: bs }' },
  follows: ['alice -> bob'],
});

let dir: string;
let db: string;
let rx: Receiver;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roost-snapshots-'));
  db = join(dir, 'emulator.db');
  rx = await startReceiver(() => 'cs');
});
after(async () => {
  await rx.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Everything a restore must bring back, as the admin routes show it. */
async function everything(h: EmulatorHarness, password: () => Promise<string | null>) {
  const state = (await h.admin('GET', 'state')).json;
  return {
    state,
    webhooks: (await h.admin('GET', 'webhooks')).json.webhooks,
    subscriptions: (await h.admin('GET', 'subscriptions')).json,
    apps: (await h.admin('GET', 'apps?secrets=1')).json,
    password: await password(),
  };
}

const late = { consumerKey: 'late-ck', consumerSecret: 'late-cs', token: 'late-token', tokenSecret: 'late-secret' };
const verify = (h: EmulatorHarness) => sendSigned(signedRequest(late, { method: 'GET', origin: h.url, path: '/1.1/account/verify_credentials.json' }));

test('a snapshot restores the whole state, in this process and the next, and is deleted', async () => {
  let h = await startEmulator(FIXTURE, {}, false, db);
  try {
    const s = h.server.services;
    const hook = ((await h.appClient().v2.post('webhooks', { url: rx.url })) as any).data.id as string;
    const alice = h.client('alice');
    const aliceId = (await alice.v2.me()).data.id;
    await alice.v2.post(`account_activity/webhooks/${hook}/subscriptions/all`, {});
    const sub = await h.appClient().v2.post('activity/subscriptions', { event_type: 'profile.update.bio', filter: { user_id: aliceId }, webhook_id: hook }) as any;
    assert.ok(sub.data.subscription.subscription_id, JSON.stringify(sub));
    // An app, a token and a password made while running, as `roost apps create` or a sign-in would.
    const app = await createApp(s.store, s.ids, s.clock, 'late', [], 'confidential', { consumerKey: late.consumerKey, consumerSecret: late.consumerSecret });
    const carol = (await s.store.userByScreenName('carol'))!;
    await createToken(s.store, s.clock, app, carol, 'read-write', { token: late.token, secret: late.tokenSecret });
    await setPassword(s.store, carol, 'correct horse battery', { N: 1024, r: 8, p: 1 });
    const password = () => h.server.services.store.passwordHash(carol.id);
    assert.equal((await verify(h)).json?.screen_name, 'carol');
    await alice.v2.follow(aliceId, (await alice.v2.userByUsername('carol')).data.id);
    assert.equal((await h.admin('POST', 'clock', { advance_seconds: 3600 })).status, 200);
    assert.equal((await h.admin('POST', 'faults', { path: '/2/nothing', action: 503 })).status, 201);
    // Minted at the advanced instant: a restore must not mint its id again.
    assert.equal((await h.admin('POST', 'users', { screen_name: 'dora' })).status, 201);
    const before = await everything(h, password);
    assert.equal(before.webhooks.length, 1);
    assert.equal(before.subscriptions.activity.length, 1);
    assert.equal(before.state.clock.now, '2025-01-01T01:00:00.000Z');

    const saved = await h.admin('POST', 'snapshots', { name: 's1' });
    assert.equal(saved.status, 201, saved.text);
    assert.deepEqual([saved.json.name, saved.json.clock], ['s1', '2025-01-01T01:00:00.000Z']);
    assert.ok(saved.json.bytes > 0);
    assert.equal(statSync(join(`${db}-snapshots`, 's1.db')).mode & 0o077, 0, 'secrets inside: owner-only');

    assert.equal((await h.admin('POST', 'reset')).status, 200);
    assert.deepEqual((await h.admin('GET', 'webhooks')).json.webhooks, []);
    assert.equal((await verify(h)).status, 401);

    const restored = await h.admin('POST', 'snapshots/s1/restore');
    assert.equal(restored.status, 200, restored.text);
    assert.deepEqual(await everything(h, password), before);
    assert.equal((await verify(h)).json?.screen_name, 'carol');
    assert.equal((await h.admin('POST', 'users', { screen_name: 'zed' })).status, 201);
    // Delivery runs again on the restored webhook.
    const bob = h.client('bob');
    await bob.v2.follow((await bob.v2.me()).data.id, aliceId);
    assert.equal((await rx.waitFor(1))[0]!.body.follow_events[0].type, 'follow');
  } finally {
    await h.close();
  }

  h = await startEmulator(FIXTURE, {}, false, db);
  try {
    const password = async () => h.server.services.store.passwordHash((await h.server.services.store.userByScreenName('carol'))!.id);
    const listed = (await h.admin('GET', 'snapshots')).json.snapshots;
    assert.deepEqual(listed.map((x: any) => [x.name, x.clock]), [['s1', '2025-01-01T01:00:00.000Z']]);
    assert.equal((await h.admin('GET', 'webhooks')).json.webhooks.length, 0, 'a new start is the fixture');
    assert.equal((await h.admin('POST', 'snapshots/s1/restore')).status, 200);
    const now = await everything(h, password);
    assert.equal(now.state.clock.now, '2025-01-01T01:00:00.000Z');
    assert.equal(now.webhooks.length, 1);
    assert.equal(now.subscriptions.activity.length, 1);
    assert.equal(now.subscriptions.account_activity.length, 1);
    assert.ok(now.password);
    assert.deepEqual(now.state.follows, ['alice -> bob', 'alice -> carol']);
    assert.equal((await verify(h)).json?.screen_name, 'carol');

    for (const name of ['../x', 'a.b', 'x'.repeat(65), '', 5]) {
      assert.equal((await h.admin('POST', 'snapshots', { name })).status, 400, String(name));
    }
    assert.equal((await h.admin('POST', 'snapshots/..%2Fx/restore')).status, 400);
    assert.equal((await h.admin('POST', 'snapshots/nope/restore')).status, 404);
    assert.equal((await h.admin('DELETE', 'snapshots/s1')).status, 204);
    assert.deepEqual((await h.admin('GET', 'snapshots')).json.snapshots, []);
    assert.equal((await h.admin('DELETE', 'snapshots/s1')).status, 404);
    assert.equal((await h.admin('POST', 'snapshots/s1/restore')).status, 404);
  } finally {
    await h.close();
  }
});
