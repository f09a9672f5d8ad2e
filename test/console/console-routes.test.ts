// The console's admin routes as a test calls them, against an emulator: users, snapshots, rate
// limits, usage counted per minute, endpoint, caller and app, the clock frozen and let run, and each OAuth 1.0a refusal explained.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixtureYaml, startEmulator, type EmulatorHarness } from '../support/emulator.js';
import { openEventStream } from '../support/event-stream.js';
import { sendSigned, signedRequest } from '../support/sign.js';

const FIXTURE = fixtureYaml({
  apps: { other: '{ consumer_key: ck2, consumer_secret: cs2 }' },
  users: ['alice', 'bob'],
  tokens: { alice: '{ app: demo, token: 1-alice, secret: as }', bob: '{ app: other, token: 2-bob, secret: bs }' },
  follows: ['alice -> bob'],
});

let h: EmulatorHarness;
before(async () => { h = await startEmulator(FIXTURE); });
after(() => h.close());

/** Subscribes to the live log; `next()` answers the next captured request in full. */
async function watch(): Promise<{ next(): Promise<any>; stop(): void }> {
  const stream = await openEventStream(`${h.url}/_roost/requests/stream`);
  await stream.event('backlog');
  return {
    async next() {
      const row = await stream.event('request');
      return (await h.admin('GET', `requests/captured/${row.seq}`)).json;
    },
    stop: () => stream.close(),
  };
}

const creds = { consumerKey: 'ck', consumerSecret: 'cs', token: '1-alice', tokenSecret: 'as' };
const get = (c: typeof creds, o: { timestamp?: number; nonce?: string } = {}) =>
  sendSigned(signedRequest(c, { method: 'GET', origin: h.url, path: '/1.1/users/show.json', query: [['screen_name', 'bob']], ...o }));

test('each OAuth 1.0a refusal names its step, the skew and the base string', async () => {
  const w = await watch();
  try {
    assert.equal((await get(creds, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status, 401);
    let r = await w.next();
    assert.equal(r.explanation.step, 'stale-timestamp');
    assert.ok(Math.abs(r.explanation.skewSeconds + 3600) <= 2, String(r.explanation.skewSeconds));

    assert.equal((await get({ ...creds, tokenSecret: '' })).status, 401);
    r = await w.next();
    assert.equal(r.explanation.step, 'bad-signature');
    assert.ok(r.explanation.hints.some((x: string) => x.includes('without the token secret')), r.explanation.hints.join());
    assert.match(r.explanation.baseStrings[0], /^GET&http%3A%2F%2F127\.0\.0\.1%3A\d+%2F1\.1%2Fusers%2Fshow\.json&/);
    assert.deepEqual(r.explanation.params.find((p: string[]) => p[0] === 'screen_name'), ['screen_name', 'bob']);

    assert.equal((await get(creds, { nonce: 'once' })).status, 200);
    assert.equal((await w.next()).explanation, null);
    assert.equal((await get(creds, { nonce: 'once' })).status, 401);
    assert.equal((await w.next()).explanation.step, 'reused-nonce');

    assert.equal((await get({ ...creds, consumerKey: 'nope' })).status, 401);
    assert.equal((await w.next()).explanation.step, 'unknown-consumer');
    assert.equal((await get({ ...creds, token: '1-nobody' })).status, 401);
    assert.equal((await w.next()).explanation.step, 'unknown-token');
  } finally {
    w.stop();
  }
});

test('users are created, edited, protected and suspended, and counts follow', async () => {
  const made = await h.admin('POST', 'users', { screen_name: 'cy', name: 'Cy', protected: true });
  assert.equal(made.status, 201);
  assert.equal(made.json.user.protected, true);
  assert.equal((await h.admin('POST', 'users', { screen_name: 'cy' })).status, 400);
  assert.equal((await h.admin('POST', 'users/cy', { description: 'hello', url: 'ftp://x' })).status, 400);
  assert.equal((await h.admin('POST', 'users/cy', { description: 'hello' })).json.user.description, 'hello');
  assert.equal((await h.admin('POST', 'users/cy/unprotect')).json.user.protected, false);
  assert.equal((await h.admin('GET', 'users/bob')).json.user.followers_count, 1);
  assert.equal((await h.admin('POST', 'users/alice/suspend')).json.user.state, 'suspended');
  assert.equal((await h.admin('GET', 'users/bob')).json.user.followers_count, 0);
  assert.deepEqual((await h.admin('GET', 'users/bob/lists/followers')).json.users, []);
  await h.admin('POST', 'users/alice/unsuspend');
  const page = (await h.admin('GET', 'users/bob/lists/followers?count=1')).json;
  assert.deepEqual([page.users.map((u: any) => u.screen_name), page.next_cursor_str], [['alice'], '0']);
  assert.equal((await h.admin('GET', 'users/nobody')).status, 404);
  assert.deepEqual((await h.admin('GET', 'users?q=cy')).json.users.map((u: any) => u.screen_name), ['cy']);
});

test('a snapshot comes back whole after changes', async () => {
  assert.equal((await h.admin('POST', 'snapshots', { name: 'before' })).status, 201);
  const before = (await h.admin('GET', 'state')).json;
  await h.admin('POST', 'users/bob/suspend');
  await h.admin('POST', 'users', { screen_name: 'late' });
  assert.equal((await h.admin('POST', 'snapshots/before/restore')).status, 200);
  const after = (await h.admin('GET', 'state')).json;
  const names = (s: any) => Object.fromEntries(Object.entries(s.accounts).map(([k, v]: [string, any]) => [k, [v.state, v.followers_count, v.friends_count, v.protected]]));
  assert.deepEqual(names(after), names(before));
  assert.deepEqual(after.follows, before.follows);
  assert.equal((await h.admin('POST', 'snapshots/nope/restore')).status, 404);
  assert.equal((await h.admin('POST', 'snapshots', { name: '../x' })).status, 400);
});

test('rate-limit windows, usage and the clock', async () => {
  await h.admin('POST', 'reset');
  await h.client('alice').v1.get('followers/ids.json', { screen_name: 'bob' });
  const { windows } = (await h.admin('GET', 'rate-limits')).json;
  assert.deepEqual(windows, [{ caller: 'alice', endpoint: 'GET /1.1/followers/ids.json', limit: 15, remaining: 14, reset: '2025-01-01T00:15:00.000Z' }]);
  const usage = (await h.admin('GET', 'usage')).json;
  assert.deepEqual([usage.total, usage.by_endpoint, usage.by_app], [1, { 'GET /1.1/followers/ids.json': 1 }, { demo: 1 }]);

  const run = await h.admin('POST', 'clock', { mode: 'real' });
  assert.equal(run.json.mode, 'real');
  await new Promise((r) => setTimeout(r, 30));
  const frozen = await h.admin('POST', 'clock', { mode: 'frozen' });
  assert.equal(frozen.json.mode, 'frozen');
  assert.ok(frozen.json.now_ms > Date.UTC(2025, 0, 1), 'the clock ran while real');
  assert.equal((await h.admin('GET', 'clock')).json.now_ms, frozen.json.now_ms);
  assert.equal((await h.admin('POST', 'clock', { mode: 'sideways' })).status, 400);
  await h.admin('POST', 'reset');
  assert.equal((await h.admin('GET', 'clock')).json.now, '2025-01-01T00:00:00.000Z');
});

test('usage counts each signed request per endpoint, caller and app, in the minute it was made', async () => {
  await h.admin('POST', 'reset');
  const times = async (n: number, send: () => Promise<unknown>) => { for (let i = 0; i < n; i++) await send(); };
  const alice = h.client('alice');
  const bob = h.client('bob');
  await times(3, () => alice.v2.me());
  await times(2, () => alice.v1.get('users/show.json', { screen_name: 'bob' }));
  await times(1, () => bob.v2.me());
  await times(4, () => bob.v1.get('users/show.json', { screen_name: 'alice' }));
  // Counted whatever the request log keeps: emptying it changes nothing.
  await h.admin('DELETE', 'requests');

  /** The current bucket's count of each series of one dimension. */
  const now = async (by: string) => {
    const u = (await h.admin('GET', `usage?by=${by}`)).json;
    assert.equal(u.buckets.at(-1), '2025-01-01T00:00:00.000Z');
    return Object.fromEntries(u.series.map((s: any) => [s.name, s.counts.at(-1)]));
  };
  assert.deepEqual(await now('endpoint'), { 'GET /1.1/users/show.json': 6, 'GET /2/users/me': 4 });
  assert.deepEqual(await now('caller'), { bob: 5, alice: 5 });
  assert.deepEqual(await now('app'), { other: 5, demo: 5 });
  const all = (await h.admin('GET', 'usage')).json;
  assert.equal(all.total, 10);
  assert.deepEqual(all.by_caller, { alice: 5, bob: 5 });

  // Two minutes on, one more: three minute buckets; with top=1 the rest is "(other)".
  await h.admin('POST', 'clock', { advance_seconds: 120 });
  await alice.v2.me();
  const later = (await h.admin('GET', 'usage?by=endpoint&top=1')).json;
  assert.deepEqual(later.buckets, ['2025-01-01T00:00:00.000Z', '2025-01-01T00:01:00.000Z', '2025-01-01T00:02:00.000Z']);
  assert.deepEqual(later.series.map((s: any) => [s.name, s.counts]), [['GET /1.1/users/show.json', [6, 0, 0]], ['(other)', [4, 0, 1]]]);
  const hourly = (await h.admin('GET', 'usage?by=caller&bucket_seconds=3600')).json;
  assert.deepEqual(hourly.series.map((s: any) => [s.name, s.counts]), [['alice', [6]], ['bob', [5]]]);

  assert.equal((await h.admin('GET', 'usage?bucket_seconds=30')).status, 400);
  assert.equal((await h.admin('GET', 'usage?by=status')).status, 400);
  await h.admin('POST', 'reset');
  assert.equal((await h.admin('GET', 'usage')).json.total, 0, 'a reset starts the counts again');
});
