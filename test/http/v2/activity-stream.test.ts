// GET /2/activity/stream through the wire: follows and unfollows made through v1.1 and v2 arrive
// once each, in X's shapes (validated against its OpenAPI document); filters, tags, deletes,
// backfill and time windows; keep-alives; the per-app connection limit; a paused reader that
// neither loses events nor holds up the API.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/config.js';
import { expectEvent, openActivityStream, type ActivityStreamReader } from '../../support/activity-stream.js';
import type { Harness, TestUser } from '../../support/harness.js';
import { validateComponent } from '../../support/openapi.js';
import { call, idOf, startV2Harness, type Auth } from '../../support/v2.js';

let h: Harness;
let app: Auth;
let bearer: string;
let n = 0;
const open: ActivityStreamReader[] = [];

before(async () => {
  h = await startV2Harness({ activity: { ...loadConfig({}, {}).activity, keepAliveMs: 300, streamsPerApp: 2 } });
  bearer = h.app.bearerToken!;
  app = { bearer };
});
after(async () => {
  for (const r of open) r.close();
  await h.close();
});

const fresh = (): Promise<TestUser> => h.user(`st${++n}`);
async function subscribe(body: Record<string, unknown>): Promise<string> {
  const r = await call(h, 'POST', '/2/activity/subscriptions', app, { json: body });
  assert.equal(r.status, 200, r.text);
  return (r.json as { data: { subscription: { subscription_id: string } } }).data.subscription.subscription_id;
}
async function stream(query: Record<string, string> = {}): Promise<ActivityStreamReader> {
  const r = await openActivityStream(h.url, bearer, query);
  open.push(r);
  assert.equal(r.status, 200);
  // X's document: every line is an ActivityStreamResponse; a follow's payload a FollowActivityResponsePayload.
  const next = r.next.bind(r);
  r.next = async (ms) => {
    const line = await next(ms);
    if (line) {
      validateComponent('ActivityStreamResponse', line);
      if (line.data.event_type.startsWith('follow.')) validateComponent('FollowActivityResponsePayload', line.data.payload);
    }
    return line;
  };
  return r;
}
const v1Follow = (a: TestUser, b: TestUser, undo = false) =>
  a.client.v1.post(undo ? 'friendships/destroy.json' : 'friendships/create.json', { user_id: idOf(b) });
const v2Follow = (a: TestUser, b: TestUser) => a.client.v2.follow(idOf(a), idOf(b));
const v2Unfollow = (a: TestUser, b: TestUser) => a.client.v2.unfollow(idOf(a), idOf(b));
const close = async () => {
  for (const r of open.splice(0)) {
    r.close();
    await r.ended;
  }
};

describe('the activity stream', () => {
  // Each test starts with no subscription and no stream open, whatever the one before left.
  beforeEach(async () => {
    const r = await call(h, 'GET', '/2/activity/subscriptions', app, { query: { max_results: '1000' } });
    const ids = (r.json as { data: { subscription_id: string }[] }).data.map((s) => s.subscription_id);
    if (ids.length > 0) await call(h, 'DELETE', '/2/activity/subscriptions', app, { query: { ids: ids.join(',') } });
  });
  afterEach(close);

  test('follows and unfollows through v1.1 and v2 arrive once each, in X\'s shapes', async () => {
    const ann = await fresh();
    const bob = await fresh();
    const carl = await fresh();
    await subscribe({ event_type: 'follow.follow', filter: { user_id: idOf(ann) }, tag: 'f' });
    await subscribe({ event_type: 'follow.unfollow', filter: { user_id: idOf(ann) } });
    const r = await stream();
    assert.match(String(r.headers['content-type']), /^application\/json/);
    await v1Follow(bob, ann);
    const first = await expectEvent(r, 'follow.follow', idOf(bob), idOf(ann), 'f');
    assert.deepEqual(first.data.filter, { user_id: idOf(ann) });
    assert.match(first.data.event_uuid, /^[0-9]{1,19}$/);
    assert.equal(first.data.payload.source.username, bob.user.screenName);
    assert.equal(first.data.payload.target.public_metrics.followers_count, 1);
    await v2Follow(carl, ann);
    await expectEvent(r, 'follow.follow', idOf(carl), idOf(ann), 'f');
    await v1Follow(bob, ann); // already following: nothing changes, nothing is raised
    await v1Follow(bob, ann, true);
    await expectEvent(r, 'follow.unfollow', idOf(bob), idOf(ann));
    await v2Unfollow(carl, ann);
    await expectEvent(r, 'follow.unfollow', idOf(carl), idOf(ann));
    await v2Unfollow(carl, ann);
    // The next event is this one: nothing was sent twice, nothing for the repeated writes.
    await v2Follow(ann, carl);
    await expectEvent(r, 'follow.follow', idOf(ann), idOf(carl), 'f');
    assert.deepEqual(await r.drain(100), []);
    await close();
  });

  test('a profile update arrives with the field before and after', async () => {
    const ann = await fresh();
    const bob = await fresh();
    await subscribe({ event_type: 'profile.update.bio', filter: { user_id: idOf(ann) }, tag: 'bio' });
    const r = await stream();
    await bob.client.v1.updateAccountProfile({ description: 'not ann' });
    await ann.client.v1.updateAccountProfile({ description: 'hello there' });
    const line = await r.next();
    assert.ok(line);
    validateComponent('ProfileUpdateActivityResponsePayload', line.data.payload);
    assert.deepEqual([line.data.event_type, line.data.filter, line.data.payload, line.data.tag],
      ['profile.update.bio', { user_id: idOf(ann) }, { after: 'hello there', before: '' }, 'bio']);
    assert.deepEqual(await r.drain(100), []);
  });

  test('a filter delivers its user\'s events alone, on the side its direction names', async () => {
    const ann = await fresh();
    const bob = await fresh();
    const carl = await fresh();
    await subscribe({ event_type: 'follow.follow', filter: { user_id: idOf(ann), direction: 'inbound' }, tag: 'in' });
    await subscribe({ event_type: 'follow.follow', filter: { user_id: idOf(bob), direction: 'outbound' }, tag: 'out' });
    const r = await stream();
    await v2Follow(carl, bob); // bob inbound: neither
    await v2Follow(ann, carl); // ann outbound: neither
    await v2Follow(bob, ann); // bob outbound and ann inbound: both subscriptions, one line each
    const lines = [await r.next(), await r.next()];
    assert.deepEqual(lines.map((l) => l?.data.tag).sort(), ['in', 'out']);
    for (const l of lines) assert.deepEqual([l!.data.payload.source.id, l!.data.payload.target.id], [idOf(bob), idOf(ann)]);
    assert.deepEqual(await r.drain(100), []);
    await close();
  });

  test('an update changes the tag of later events; a delete stops them', async () => {
    const ann = await fresh();
    const bob = await fresh();
    const carl = await fresh();
    const sub = await subscribe({ event_type: 'follow.follow', filter: { user_id: idOf(ann) }, tag: 'old' });
    await subscribe({ event_type: 'follow.follow', filter: { user_id: idOf(carl) }, tag: 'sentinel' });
    const r = await stream();
    await v2Follow(bob, ann);
    await expectEvent(r, 'follow.follow', idOf(bob), idOf(ann), 'old');
    assert.equal((await call(h, 'PUT', `/2/activity/subscriptions/${sub}`, app, { json: { tag: 'new' } })).status, 200);
    await v2Unfollow(bob, ann);
    await v2Follow(bob, ann);
    await expectEvent(r, 'follow.follow', idOf(bob), idOf(ann), 'new');
    assert.equal((await call(h, 'DELETE', `/2/activity/subscriptions/${sub}`, app)).status, 200);
    await v2Unfollow(bob, ann);
    await v2Follow(bob, ann);
    await v2Follow(bob, carl);
    await expectEvent(r, 'follow.follow', idOf(bob), idOf(carl), 'sentinel');
    await close();
  });

  test('backfill_minutes replays earlier events; a window in the past is sent, then the stream ends', async () => {
    const ann = await fresh();
    const bob = await fresh();
    await subscribe({ event_type: 'follow.follow', filter: { user_id: idOf(ann) }, tag: 'bf' });
    const from = new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    await v2Follow(bob, ann);
    const live = await stream();
    const back = await stream({ backfill_minutes: '1' });
    await expectEvent(back, 'follow.follow', idOf(bob), idOf(ann), 'bf');
    assert.deepEqual(await live.drain(150), [], 'without backfill, only events after the stream opened');
    await close();
    await new Promise((r) => setTimeout(r, 1100));
    const to = new Date().toISOString();
    const window = await stream({ start_time: from, end_time: to });
    await expectEvent(window, 'follow.follow', idOf(bob), idOf(ann), 'bf');
    await window.ended;
    assert.equal(await window.next(10), undefined);
  });

  test('an idle stream sends keep-alives', async () => {
    const r = await stream();
    await r.drain(800);
    assert.ok(r.keepAlives >= 2, `keep-alives: ${r.keepAlives}`);
    await close();
  });

  test('an app holds two streams at most; bad parameters are 400s', async () => {
    await stream();
    await stream();
    const third = await openActivityStream(h.url, bearer);
    assert.equal(third.status, 429);
    assert.deepEqual(JSON.parse(await third.text()), {
      title: 'ConnectionException', detail: 'This stream is currently at the maximum allowed connection limit.',
      connection_issue: 'TooManyConnections', type: 'https://api.twitter.com/2/problems/streaming-connection',
    });
    await close();
    const bad: Record<string, string>[] = [{ backfill_minutes: '6' }, { start_time: 'yesterday' }, { start_time: '2030-01-01T00:00:00Z', end_time: '2029-01-01T00:00:00Z' }];
    for (const q of bad) {
      const r = await call(h, 'GET', '/2/activity/stream', app, { query: q });
      assert.equal(r.status, 400, JSON.stringify(q));
    }
    const again = await stream();
    assert.equal(again.status, 200, 'a closed stream frees its place');
    await close();
  });

  test('a paused reader loses nothing and holds up no API request', async () => {
    const ann = await fresh();
    const fans: TestUser[] = [];
    for (let i = 0; i < 40; i++) fans.push(await fresh());
    await subscribe({ event_type: 'follow.follow', filter: { user_id: idOf(ann) }, tag: 'slow' });
    const r = await stream();
    r.pause();
    for (const f of fans) await v2Follow(f, ann);
    const started = Date.now();
    const me = await ann.client.v2.me({ 'user.fields': 'public_metrics' });
    assert.equal(me.data.public_metrics?.followers_count, 40);
    assert.ok(Date.now() - started < 1000);
    r.resume();
    const got: string[] = [];
    for (let i = 0; i < 40; i++) got.push((await r.next())!.data.payload.source.id as string);
    assert.deepEqual(got, fans.map(idOf));
    await close();
  });
});

test('a stopping server ends its open streams rather than waiting on them', async () => {
  const own = await startV2Harness();
  const opening = Date.now();
  const r = await openActivityStream(own.url, own.app.bearerToken!);
  assert.equal(r.status, 200);
  // Nothing to send yet: the headers still come at once, not with the first keep-alive (20 s).
  assert.ok(Date.now() - opening < 5000, `connected in ${Date.now() - opening} ms`);
  const started = Date.now();
  await own.close();
  await r.ended;
  assert.ok(Date.now() - started < 5000, `stopped in ${Date.now() - started} ms`);
});
