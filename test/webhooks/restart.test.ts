// Delivery survives kill -9: a roost process (bin/roost serve, dist/) holds undelivered follow
// events for a receiver that keeps failing and is killed with SIGKILL; a new process on the same
// SQLite file takes the webhook over once the dead one's lease expires and delivers every event,
// in order, from the cursor kept in the database.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createApp, createToken, createUser } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config.js';
import { closeServices, createServices } from '../../src/services.js';
import { startServe, type Served } from '../support/serve-process.js';
import { authorizationHeader, oauthParams, signedRequest, type Credentials } from '../support/sign.js';
import { startReceiver } from '../support/webhook-receiver.js';

const dir = mkdtempSync(join(tmpdir(), 'roost-webhook-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Fast retries and a short lease, so the restarted process resumes within the test. */
const WEBHOOKS = {
  ROOST_LOG_LEVEL: 'warn', ROOST_FOLLOWS_PER_DAY: 'off', ROOST_FOLLOWING_CAP: 'off',
  ROOST_WEBHOOK_ALLOW: '127.0.0.1', ROOST_WEBHOOK_RETRY_MIN_MS: '50', ROOST_WEBHOOK_RETRY_MAX_MS: '200', ROOST_WEBHOOK_POLL_MS: '50',
  ROOST_WEBHOOK_LEASE_MS: '1500', ROOST_WEBHOOK_TIMEOUT_MS: '1000',
};
const serve = (db: string) => startServe(db, WEBHOOKS);

test('events undelivered when the process is killed with SIGKILL are all delivered, in order, after a restart', async () => {
  const db = join(dir, 'roost.db');
  const s = await createServices(loadConfig({ db, redisUrl: null }, {}));
  const app = await createApp(s.store, s.ids, s.clock, 'hooks');
  const person = async (name: string): Promise<{ id: bigint; creds: Credentials }> => {
    const user = await createUser(s.store, s.ids, s.clock, { screenName: name });
    const t = await createToken(s.store, s.clock, app, user);
    return { id: user.id, creds: { consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: t.token, tokenSecret: t.secret } };
  };
  const ann = await person('ann');
  const fans = [];
  for (let i = 0; i < 5; i++) fans.push(await person(`fan${i}`));
  await closeServices(s);

  const rx = await startReceiver(() => app.consumerSecret);
  rx.failNext = 1_000_000;
  const first = await serve(db);
  let second: Served | null = null;
  try {
    const bearer = { authorization: `Bearer ${app.bearerToken}`, 'content-type': 'application/json' };
    const made = await fetch(`${first.base}/2/webhooks`, { method: 'POST', headers: bearer, body: JSON.stringify({ url: rx.url }) });
    const hook = (await made.json()) as { data: { id: string } };
    assert.equal(made.status, 200);
    const subUrl = `${first.base}/2/account_activity/webhooks/${hook.data.id}/subscriptions/all`;
    const auth = authorizationHeader(oauthParams(ann.creds, { method: 'POST', signedUrl: subUrl }));
    assert.equal((await fetch(subUrl, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: '{}' })).status, 200);
    for (const f of fans) {
      const req = signedRequest(f.creds, { method: 'POST', origin: first.base, path: '/1.1/friendships/create.json', form: [['user_id', ann.id.toString()]] });
      assert.equal((await fetch(req.url, req.init)).status, 200);
    }
    // The first process is trying, and failing.
    while (rx.failed < 2) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    assert.equal(rx.received.length, 0);

    rx.failNext = 0;
    second = await serve(db);
    const got = await rx.waitFor(5, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(rx.received.length, 5, 'each event once');
    assert.deepEqual(got.map((g) => g.body.follow_events[0].source.screen_name), fans.map((_, i) => `fan${i}`));
    assert.ok(got.every((g) => g.signed && g.body.for_user_id === ann.id.toString()));
  } finally {
    first.child.kill('SIGKILL');
    second?.child.kill('SIGTERM');
    if (second) await new Promise((r) => second!.child.once('exit', r));
    await rx.close();
  }
});
