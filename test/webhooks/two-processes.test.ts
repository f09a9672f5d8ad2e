// Two roost servers on one database (ROOST_TEST_BACKEND picks SQLite or PostgreSQL) both run
// delivery; the lease lets only one deliver to a webhook at a time, so follows made through
// either server reach the receiver once each, in the order they were made.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp, createToken, createUser } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { testDb } from '../support/backend.js';
import { authorizationHeader, oauthParams, signedRequest, type Credentials } from '../support/sign.js';
import { startReceiver } from '../support/webhook-receiver.js';

test('two processes deliver each event once, in order', async () => {
  const db = await testDb('webhooks2');
  const webhooks = { ...loadConfig({}, {}).webhooks, allow: ['127.0.0.1'], pollMs: 20, leaseMs: 1000, retryMinMs: 30, retryMaxMs: 100 };
  const config = loadConfig({ port: 0, host: '127.0.0.1', db: db.location, redisUrl: db.redisUrl, redisPrefix: db.redisPrefix, rateLimits: false, webhooks, follow: { followsPerDay: null, followsPerAppPerDay: null, followingCap: null, followingRatio: 1.1 } }, {});
  const a = await startServer(config);
  const b = await startServer(config);
  const s = a.services;
  const app = await createApp(s.store, s.ids, s.clock, 'two');
  const person = async (name: string): Promise<{ id: bigint; creds: Credentials }> => {
    const user = await createUser(s.store, s.ids, s.clock, { screenName: name });
    const t = await createToken(s.store, s.clock, app, user);
    return { id: user.id, creds: { consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: t.token, tokenSecret: t.secret } };
  };
  const rx = await startReceiver(() => app.consumerSecret);
  try {
    const hub = await person('hub');
    const made = await fetch(`${a.url}/2/webhooks`, { method: 'POST', headers: { authorization: `Bearer ${app.bearerToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ url: rx.url }) });
    const id = ((await made.json()) as { data: { id: string } }).data.id;
    const sub = `${b.url}/2/account_activity/webhooks/${id}/subscriptions/all`;
    const auth = authorizationHeader(oauthParams(hub.creds, { method: 'POST', signedUrl: sub }));
    assert.equal((await fetch(sub, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: '{}' })).status, 200);
    const names: string[] = [];
    for (let i = 0; i < 24; i++) {
      const fan = await person(`fan${i}`);
      const via = i % 2 === 0 ? a : b;
      const req = signedRequest(fan.creds, { method: 'POST', origin: via.url, path: '/1.1/friendships/create.json', form: [['user_id', hub.id.toString()]] });
      assert.equal((await fetch(req.url, req.init)).status, 200);
      names.push(`fan${i}`);
    }
    const got = await rx.waitFor(24, 20_000);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(rx.received.length, 24, 'each event once');
    assert.deepEqual(got.map((g) => g.body.follow_events[0].source.screen_name), names);
  } finally {
    await a.close();
    await b.close();
    await rx.close();
    await db.cleanup();
  }
});
