// Rate limiting with limits on (§10): the 15-minute buckets count down in the headers, the
// 16th followers/ids call is 429/88, application/rate_limit_status reports the same numbers,
// and app-only buckets are separate from user buckets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';
import { assertV1Error, bearerOf, raw, type RawAuth, type RawResponse } from '../../support/raw.js';
import { idOf } from '../../support/reads.js';

let h: Harness;
let alice: TestUser, bob: TestUser;

before(async () => {
  h = await startHarness({ rateLimits: true });
  alice = await h.user('alice');
  bob = await h.user('bob');
});
after(() => h.close());

const limits = (r: RawResponse) => ({
  limit: r.headers.get('x-rate-limit-limit'),
  remaining: r.headers.get('x-rate-limit-remaining'),
  reset: r.headers.get('x-rate-limit-reset'),
});

const followerIds = (auth: RawAuth) => raw(h, 'GET', '/1.1/followers/ids.json', auth, { query: { screen_name: 'bob' } });
const status = (auth: RawAuth, resources?: string) =>
  raw(h, 'GET', '/1.1/application/rate_limit_status.json', auth, { query: resources ? { resources } : {} });

test('15 followers/ids calls count down 14..0; the 16th is 429/88 with the headers', async () => {
  const t0 = Math.floor(Date.now() / 1000);
  const seen: string[] = [];
  let reset: string | null = null;
  for (let i = 0; i < 15; i++) {
    const r = await followerIds({ user: alice });
    assert.equal(r.status, 200, r.text);
    const l = limits(r);
    assert.equal(l.limit, '15');
    seen.push(l.remaining!);
    reset ??= l.reset;
    assert.equal(l.reset, reset, 'one window, one reset time');
  }
  assert.deepEqual(seen, Array.from({ length: 15 }, (_, i) => String(14 - i)));
  assert.ok(Number(reset) >= t0 + 899 && Number(reset) <= t0 + 902, `reset ${reset} ~ now + 900 s`);

  const over = await followerIds({ user: alice });
  assertV1Error(over, 429, 88, 'Rate limit exceeded');
  assert.deepEqual(limits(over), { limit: '15', remaining: '0', reset });
  // still refused, still counting nothing below 0
  const again = await followerIds({ user: alice });
  assertV1Error(again, 429, 88);
  assert.equal(limits(again).remaining, '0');
});

test('rate_limit_status reports the same numbers, its own call already counted', async () => {
  const overHeaders = limits(await followerIds({ user: alice }));
  const r = await status({ user: alice });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.resources.followers['/followers/ids'], { limit: 15, remaining: 0, reset: Number(overHeaders.reset) });
  assert.equal(r.json.resources.followers['/followers/list'].remaining, 15, 'an untouched bucket is full');
  const own = r.json.resources.application['/application/rate_limit_status'];
  assert.equal(own.limit, 180);
  assert.equal(own.remaining, 179);
  assert.equal(String(own.remaining), limits(r).remaining, 'payload and headers agree');
  const second = await status({ user: alice });
  assert.equal(second.json.resources.application['/application/rate_limit_status'].remaining, 178);
});

test('the app-only bucket is separate from user buckets, and user buckets from each other', async () => {
  const app1 = await followerIds(bearerOf(h));
  assert.equal(app1.status, 200, 'alice exhausting her bucket leaves the app bucket alone');
  assert.deepEqual([limits(app1).limit, limits(app1).remaining], ['15', '14']);
  const bob1 = await followerIds({ user: bob });
  assert.equal(limits(bob1).remaining, '14');
  const appStatus = await status(bearerOf(h), 'followers,application');
  assert.deepEqual(appStatus.json.rate_limit_context, { application: h.app.consumerKey });
  assert.equal(appStatus.json.resources.followers['/followers/ids'].remaining, 14);
  assert.equal(appStatus.json.resources.application['/application/rate_limit_status'].remaining, 179);
  const aliceStatus = await status({ user: alice }, 'followers');
  assert.equal(aliceStatus.json.resources.followers['/followers/ids'].remaining, 0);
});

test('users/lookup: GET and POST share one bucket; the app limit is 300, the user limit 900', async () => {
  const get = await raw(h, 'GET', '/1.1/users/lookup.json', { user: bob }, { query: { user_id: idOf(alice) } });
  const post = await raw(h, 'POST', '/1.1/users/lookup.json', { user: bob }, { form: { user_id: idOf(alice) } });
  assert.deepEqual([limits(get).limit, limits(get).remaining], ['900', '899']);
  assert.deepEqual([limits(post).limit, limits(post).remaining], ['900', '898']);
  const app = await raw(h, 'POST', '/1.1/users/lookup.json', bearerOf(h), { query: { screen_name: 'alice' } });
  assert.deepEqual([limits(app).limit, limits(app).remaining], ['300', '299']);
});

test('writes are not rate-limited by the 15-minute buckets and carry no headers', async () => {
  for (let i = 0; i < 20; i++) {
    const path = i % 2 === 0 ? '/1.1/friendships/create.json' : '/1.1/friendships/destroy.json';
    const r = await raw(h, 'POST', path, { user: alice }, { form: { user_id: idOf(bob) } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('x-rate-limit-remaining'), null);
  }
});

test('requests that fail authentication are not counted', async () => {
  const before = limits(await raw(h, 'GET', '/1.1/friends/ids.json', { user: bob })).remaining;
  const bad = await raw(h, 'GET', '/1.1/friends/ids.json', { bearer: 'not-a-token' });
  assert.equal(bad.status, 401);
  const forged = await raw(h, 'GET', '/1.1/friends/ids.json', { user: { ...bob, secret: 'wrong' } });
  assert.equal(forged.status, 401);
  const afterwards = limits(await raw(h, 'GET', '/1.1/friends/ids.json', { user: bob })).remaining;
  assert.equal(Number(afterwards), Number(before) - 1);
});
