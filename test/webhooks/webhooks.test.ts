// Webhooks through the wire: registration with X's CRC check, Account Activity subscriptions,
// signed deliveries of follow events to a real receiver (node:http), retries after failures,
// replay, and X's refusals. Every /2 answer is validated against X's OpenAPI document (call()).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { post } from '../support/calls.js';
import type { Harness, TestUser } from '../support/harness.js';
import { validateComponent } from '../support/openapi.js';
import { call, startV2Harness } from '../support/v2.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';

const FAST = { ...loadConfig({}, {}).webhooks, allow: ['127.0.0.1'], retryMinMs: 30, retryMaxMs: 120, pollMs: 50, leaseMs: 1000, timeoutMs: 1000, crcTimeoutMs: 1000 };

let h: Harness;
let rx: Receiver;
let app: { bearer: string };
let ann: TestUser;
let bob: TestUser;
let cat: TestUser;
let hookId: string;

const bearer = () => ({ bearer: app.bearer });
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  h = await startV2Harness({ webhooks: FAST });
  app = { bearer: h.app.bearerToken! };
  rx = await startReceiver(() => h.app.consumerSecret);
  [ann, bob, cat] = [await h.user('ann'), await h.user('bob'), await h.user('cat')];
});
after(async () => {
  await h.close();
  await rx.close();
});

describe('registering a webhook', () => {
  test('POST /2/webhooks sends a CRC check and registers a valid webhook', async () => {
    const checks = rx.crcChecks;
    const r = await call(h, 'POST', '/2/webhooks', bearer(), { json: { url: rx.url } });
    assert.equal(r.status, 200, r.text);
    assert.equal(rx.crcChecks, checks + 1);
    assert.deepEqual(Object.keys(r.json.data), ['id', 'url', 'valid', 'created_at']);
    assert.equal(r.json.data.url, rx.url);
    assert.equal(r.json.data.valid, true);
    assert.match(r.json.data.id, /^\d{1,19}$/);
    hookId = r.json.data.id;
    const list = await call(h, 'GET', '/2/webhooks', bearer());
    assert.deepEqual(list.json, { data: [{ created_at: r.json.data.created_at, id: hookId, url: rx.url, valid: true }], meta: { result_count: 1 } });
  });

  test('a wrong CRC answer registers nothing: 400 CrcValidationFailed', async () => {
    rx.wrongCrc = true;
    try {
      const r = await call(h, 'POST', '/2/webhooks', bearer(), { json: { url: `${rx.url}/other` } });
      assert.equal(r.status, 400);
      assert.match(r.json.errors[0].message, /^CrcValidationFailed: /);
      assert.equal(r.json.type, 'https://api.twitter.com/2/problems/invalid-request');
    } finally {
      rx.wrongCrc = false;
    }
    const list = await call(h, 'GET', '/2/webhooks', bearer());
    assert.equal(list.json.meta.result_count, 1);
  });

  test('the same URL twice is DuplicateUrlFailed', async () => {
    const r = await call(h, 'POST', '/2/webhooks', bearer(), { json: { url: rx.url } });
    assert.equal(r.status, 400);
    assert.match(r.json.errors[0].message, /^DuplicateUrlFailed: /);
  });

  test('PUT re-runs the CRC: a wrong answer leaves the webhook invalid, a right one makes it valid again', async () => {
    rx.wrongCrc = true;
    const bad = await call(h, 'PUT', `/2/webhooks/${hookId}`, bearer());
    rx.wrongCrc = false;
    assert.equal(bad.status, 400);
    assert.match(bad.json.errors[0].message, /^CrcValidationFailed: /);
    assert.equal((await call(h, 'GET', '/2/webhooks', bearer())).json.data[0].valid, false);
    const good = await call(h, 'PUT', `/2/webhooks/${hookId}`, bearer());
    assert.equal(good.status, 200);
    assert.deepEqual(good.json, { data: { valid: true } });
    assert.equal((await call(h, 'GET', '/2/webhooks', bearer())).json.data[0].valid, true);
  });

  test('an unknown webhook id is WebhookIdInvalid; a user context may not list webhooks', async () => {
    const r = await call(h, 'PUT', '/2/webhooks/123456789', bearer());
    assert.equal(r.status, 400);
    assert.match(r.json.errors[0].message, /^WebhookIdInvalid: /);
    const u = await call(h, 'GET', '/2/webhooks', { user: ann });
    assert.equal(u.status, 403);
    assert.equal(u.json.title, 'Unsupported Authentication');
  });
});

describe('Account Activity', () => {
  test('a user subscribes with their own token; the app lists, counts and checks the subscription', async () => {
    const path = `/2/account_activity/webhooks/${hookId}/subscriptions/all`;
    assert.deepEqual((await call(h, 'GET', path, { user: ann })).json, { data: { subscribed: false } });
    const r = await call(h, 'POST', path, { user: ann }, { json: {} });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { data: { subscribed: true } });
    assert.deepEqual((await call(h, 'GET', path, { user: ann })).json, { data: { subscribed: true } });
    const again = await call(h, 'POST', path, { user: ann }, { json: {} });
    assert.match(again.json.errors[0].message, /^DuplicateSubscriptionFailed: /);
    const list = await call(h, 'GET', `${path}/list`, bearer());
    assert.deepEqual(list.json, { data: { application_id: h.app.id.toString(), webhook_id: hookId, webhook_url: rx.url, subscriptions: [{ user_id: ann.user.id.toString() }] } });
    const count = await call(h, 'GET', '/2/account_activity/subscriptions/count', bearer());
    assert.equal(count.json.data.subscriptions_count_all, '1');
    assert.equal((await call(h, 'GET', `${path}/list`, { user: ann })).status, 403);
  });

  test('follows and unfollows through v1.1 and v2 each reach the webhook once, signed, in X\'s follow_events shape', async () => {
    const start = rx.received.length;
    const bobId = bob.user.id.toString();
    const steps: [string, () => Promise<unknown>][] = [
      ['follow', () => post(ann.client, 'friendships/create', { user_id: bobId })],
      ['unfollow', () => ann.client.v2.unfollow(ann.user.id.toString(), bobId)],
      ['follow', () => ann.client.v2.follow(ann.user.id.toString(), bobId)],
      ['unfollow', () => post(ann.client, 'friendships/destroy', { user_id: bobId })],
    ];
    for (const [i, [, write]] of steps.entries()) {
      await write();
      await rx.waitFor(start + i + 1);
    }
    await settle();
    const got = rx.received.slice(start);
    assert.equal(got.length, steps.length, 'exactly one delivery per event');
    for (const [i, [type]] of steps.entries()) {
      const g = got[i]!;
      assert.ok(g.signed, `${type}: x-twitter-webhooks-signature verifies`);
      assert.deepEqual(Object.keys(g.body), ['for_user_id', 'follow_events']);
      assert.equal(g.body.for_user_id, ann.user.id.toString());
      const [e] = g.body.follow_events;
      assert.deepEqual(Object.keys(e), ['type', 'created_timestamp', 'target', 'source']);
      assert.equal(e.type, type);
      assert.match(e.created_timestamp, /^\d{13}$/);
      assert.equal(e.source.id_str, ann.user.id.toString());
      assert.equal(e.target.id_str, bobId);
      assert.equal(e.target.screen_name, 'bob');
    }
    // The id is written exactly, as a bare 64-bit integer.
    assert.ok(got[0]!.text.includes(`"id":${ann.user.id}`));
  });

  test('events between users nobody subscribed are not sent; a follow of the subscriber is', async () => {
    const start = rx.received.length;
    await post(bob.client, 'friendships/create', { user_id: cat.user.id.toString() });
    await post(cat.client, 'friendships/create', { user_id: ann.user.id.toString() });
    const [got] = (await rx.waitFor(start + 1)).slice(start);
    await settle();
    assert.equal(rx.received.length, start + 1);
    assert.equal(got!.body.for_user_id, ann.user.id.toString());
    assert.equal(got!.body.follow_events[0].source.id_str, cat.user.id.toString());
  });

  test('blocks, unblocks, mutes and unmutes by the subscriber come as block_events and mute_events', async () => {
    const start = rx.received.length;
    const [catId, bobId] = [cat.user.id.toString(), bob.user.id.toString()];
    await post(ann.client, 'blocks/create', { user_id: catId });
    await post(ann.client, 'mutes/users/create', { user_id: bobId });
    await post(ann.client, 'blocks/destroy', { user_id: catId });
    await post(ann.client, 'mutes/users/destroy', { user_id: bobId });
    await rx.waitFor(start + 4);
    await settle();
    const got = rx.received.slice(start);
    assert.ok(got.every((g) => g.signed && g.body.for_user_id === ann.user.id.toString()));
    const gist = got.map((g) => {
      const [key, [e]] = Object.entries(g.body).find(([k]) => k.endsWith('_events')) as [string, any[]];
      return [key, e.type, e.source.id_str, e.target.id_str].join(' ');
    });
    const me = ann.user.id.toString();
    assert.deepEqual(gist, [
      `block_events block ${me} ${catId}`, `mute_events mute ${me} ${bobId}`,
      `block_events unblock ${me} ${catId}`, `mute_events unmute ${me} ${bobId}`,
    ]);
  });

  test('a receiver that fails 3 times then recovers gets every event, in order', async () => {
    const start = rx.received.length;
    const failedBefore = rx.failed;
    rx.failNext = 3;
    const others = [];
    for (let i = 0; i < 5; i++) others.push(await h.user(`fan${i}`));
    for (const o of others) await post(o.client, 'friendships/create', { user_id: ann.user.id.toString() });
    const got = (await rx.waitFor(start + 5)).slice(start);
    assert.equal(rx.failed - failedBefore, 3);
    assert.deepEqual(got.map((g) => g.body.follow_events[0].source.screen_name), others.map((o) => o.user.screenName));
    const attempts = await h.server.services.store.webhooks.attempts(20, BigInt(hookId));
    assert.ok(attempts.filter((a) => a.status === 500).length >= 3, 'the failures are recorded');
  });

  test('a replay sends a window of the event log again, then X\'s job-completed message', async () => {
    const start = rx.received.length;
    const now = new Date(h.server.services.clock.now());
    const minute = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 12);
    const r = await call(h, 'POST', '/2/webhooks/replay', bearer(), { json: { webhook_id: hookId, from_date: minute(new Date(now.getTime() - 3_600_000)), to_date: minute(now) } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json.data), ['job_id', 'created_at']);
    const delivered = start; // every AAA delivery so far is inside the window
    const got = await rx.waitFor(start + delivered + 1);
    const done = got.at(-1)!.body;
    assert.deepEqual(done, { replay_job_status: { webhook_id: hookId, job_state: 'Complete', job_state_description: 'Job completed successfully', job_id: r.json.data.job_id } });
    // The same events again, in order (user objects are rendered as they are now, as on X).
    const gist = (g: { body: any }) => {
      const [key, [e]] = Object.entries(g.body).find(([k]) => k.endsWith('_events')) as [string, any[]];
      return [g.body.for_user_id, key, e.type, e.created_timestamp, e.source.id_str, e.target.id_str].join(' ');
    };
    assert.deepEqual(got.slice(start, start + delivered).map(gist), got.slice(0, delivered).map(gist));
    assert.ok(got.slice(start).every((g) => g.signed));
  });

  test('a receiver that hangs holds no API request; the event arrives once it answers again', async () => {
    const start = rx.received.length;
    rx.hang = true;
    const fan = await h.user('patient');
    const t0 = performance.now();
    await post(fan.client, 'friendships/create', { user_id: ann.user.id.toString() });
    await post(fan.client, 'friendships/destroy', { user_id: ann.user.id.toString() });
    assert.ok(performance.now() - t0 < 900, 'answered before the delivery timeout');
    await settle(200);
    rx.hang = false;
    const got = (await rx.waitFor(start + 2)).slice(start);
    assert.deepEqual(got.map((g) => g.body.follow_events[0].type), ['follow', 'unfollow']);
  });

  test('two subscribed users are two lanes: after failures each still gets all its events, first deliveries in order', async () => {
    const path = `/2/account_activity/webhooks/${hookId}/subscriptions/all`;
    assert.equal((await call(h, 'POST', path, { user: bob }, { json: {} })).status, 200);
    const start = rx.received.length;
    const fans = [];
    for (let i = 0; i < 8; i++) fans.push(await h.user(`lane${i}`));
    const want = new Map<string, string[]>([[ann.user.id.toString(), []], [bob.user.id.toString(), []]]);
    rx.failNext = 2;
    for (const [i, fan] of fans.entries()) {
      const to = i % 2 === 0 ? ann : bob;
      await post(fan.client, 'friendships/create', { user_id: to.user.id.toString() });
      want.get(to.user.id.toString())!.push(fan.user.screenName);
    }
    const until = Date.now() + 10_000;
    const firsts = () => {
      const seen = new Map<string, string[]>([...want.keys()].map((k) => [k, []]));
      for (const g of rx.received.slice(start)) {
        const list = seen.get(g.body.for_user_id)!;
        const name = g.body.follow_events[0].source.screen_name as string;
        if (!list.includes(name)) list.push(name);
      }
      return seen;
    };
    while ([...firsts().values()].reduce((n, l) => n + l.length, 0) < fans.length && Date.now() < until) await settle(50);
    assert.deepEqual(firsts(), want);
    assert.equal(rx.failNext, 0, 'the receiver failed twice');
    assert.ok(rx.received.slice(start).every((g) => g.signed));
    await call(h, 'DELETE', `/2/account_activity/webhooks/${hookId}/subscriptions/${bob.user.id}/all`, bearer());
  });

  test('DELETE unsubscribes; deleting the webhook removes it', async () => {
    const path = `/2/account_activity/webhooks/${hookId}/subscriptions/${ann.user.id}/all`;
    assert.deepEqual((await call(h, 'DELETE', path, bearer())).json, { data: { subscribed: false } });
    assert.match((await call(h, 'DELETE', path, bearer())).json.errors[0].message, /^SubscriptionNotFound: /);
    assert.deepEqual((await call(h, 'DELETE', `/2/webhooks/${hookId}`, bearer())).json, { data: { deleted: true } });
    assert.equal((await call(h, 'GET', '/2/webhooks', bearer())).json.meta.result_count, 0);
  });
});

describe('Activity API subscriptions on a webhook', () => {
  test('a follow and an unfollow each reach the webhook once, signed, as the stream\'s ActivityStreamResponse; another user\'s do not', async () => {
    const hook = await call(h, 'POST', '/2/webhooks', bearer(), { json: { url: `${rx.url}/activity` } });
    assert.equal(hook.status, 200, hook.text);
    const webhook_id = hook.json.data.id as string;
    const [dan, eve] = [await h.user('dan'), await h.user('eve')];
    const catId = cat.user.id.toString();
    for (const event_type of ['follow.follow', 'follow.unfollow']) {
      const r = await call(h, 'POST', '/2/activity/subscriptions', bearer(), { json: { event_type, filter: { user_id: catId, direction: 'inbound' }, tag: 'cat in', webhook_id } });
      assert.equal(r.status, 200, r.text);
    }
    const start = rx.received.length;
    await dan.client.v2.follow(dan.user.id.toString(), catId);
    await post(eve.client, 'friendships/create', { user_id: dan.user.id.toString() }); // nobody subscribed to dan
    await post(dan.client, 'friendships/destroy', { user_id: catId });
    await rx.waitFor(start + 2);
    await settle();
    const got = rx.received.slice(start);
    assert.equal(got.length, 2, 'exactly one delivery per subscribed event');
    assert.deepEqual(got.map((g) => g.body.data.event_type), ['follow.follow', 'follow.unfollow']);
    for (const g of got) {
      assert.ok(g.signed, 'x-twitter-webhooks-signature verifies');
      validateComponent('ActivityStreamResponse', g.body);
      validateComponent('FollowActivityResponsePayload', g.body.data.payload);
      assert.equal(g.body.data.tag, 'cat in');
      assert.deepEqual(g.body.data.filter, { direction: 'inbound', user_id: catId });
      assert.equal(g.body.data.payload.source.id, dan.user.id.toString());
      assert.equal(g.body.data.payload.target.id, catId);
    }
    assert.deepEqual((await call(h, 'DELETE', `/2/webhooks/${webhook_id}`, bearer())).json, { data: { deleted: true } });
  });
});

describe('limits', () => {
  test('an app past ROOST_WEBHOOK_MAX_PER_APP webhooks gets WebhookLimitExceeded', async () => {
    const max = FAST.maxPerApp;
    const have = (await call(h, 'GET', '/2/webhooks', bearer())).json.meta.result_count as number;
    for (let i = have; i < max; i++) assert.equal((await call(h, 'POST', '/2/webhooks', bearer(), { json: { url: `${rx.url}/n${i}` } })).status, 200);
    const r = await call(h, 'POST', '/2/webhooks', bearer(), { json: { url: `${rx.url}/one-more` } });
    assert.equal(r.status, 400);
    assert.match(r.json.errors[0].message, /^WebhookLimitExceeded: /);
  });
});
