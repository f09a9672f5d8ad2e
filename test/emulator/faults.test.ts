// Scripted faults, through twitter-api-v2 and raw HTTP: what a client's retry logic will meet.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiResponseError } from 'twitter-api-v2';
import { startEmulator, type EmulatorHarness } from '../support/emulator.js';
import { V2_ENDPOINTS } from '../../src/http/v2/endpoints.js';

const FIXTURE = `
apps:
  demo: {}
users:
  alice: {}
  bob: {}
follows: ["alice -> bob"]
faults:
  - { method: GET, path: /1.1/users/show.json, caller: bob, action: 503, times: 2 }
`;

let h: EmulatorHarness;
before(async () => { h = await startEmulator(FIXTURE); });
after(() => h.close());

async function apiError(p: Promise<unknown>): Promise<ApiResponseError> {
  const err = await p.then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ApiResponseError, `expected an API error, got ${String(err)}`);
  return err;
}

test('a fixture rule answers 503 Over capacity (130) twice for its caller only, then the real reply', async () => {
  const bob = h.client('bob');
  for (let i = 0; i < 2; i++) {
    const err = await apiError(bob.v1.get('users/show.json', { screen_name: 'alice' }));
    assert.equal(err.code, 503);
    assert.deepEqual(err.data, { errors: [{ code: 130, message: 'Over capacity' }] });
  }
  assert.equal((await h.client('alice').v1.get('users/show.json', { screen_name: 'bob' })).screen_name, 'bob');
  assert.equal((await bob.v1.get('users/show.json', { screen_name: 'alice' })).screen_name, 'alice');
  const log = await h.admin('GET', 'requests?caller=bob');
  assert.deepEqual(log.json.requests.map((r: { status: number }) => r.status), [503, 503, 200]);
});

test('a rule naming a caller matches the caller roost authenticated, never credentials it refuses', async () => {
  await h.admin('POST', 'faults', { path: '/1.1/users/show.json', caller: 'bob', action: 503, times: 1 });
  const bobToken = h.server.emulator!.loaded.tokens.get('bob')!.row.token;
  const now = Math.floor(Date.now() / 1000);
  // bob's token, badly signed: the API refuses it, so it is nobody's request and the rule waits
  const forged = `OAuth oauth_consumer_key="unknown", oauth_nonce="n${now}", oauth_signature="bad", oauth_signature_method="HMAC-SHA1", `
    + `oauth_timestamp="${now}", oauth_token="${encodeURIComponent(bobToken)}", oauth_version="1.0"`;
  const r = await fetch(`${h.url}/1.1/users/show.json?screen_name=alice`, { headers: { authorization: forged } });
  assert.equal(r.status, 401);
  assert.equal((await r.json() as { errors: { code: number }[] }).errors[0]!.code, 32);
  const err = await apiError(h.client('bob').v1.get('users/show.json', { screen_name: 'alice' }));
  assert.equal(err.code, 503);
});

test('429 once, with the rate-limit headers and code 88 in v1.1 and the v2 problem in v2', async () => {
  const added = await h.admin('POST', 'faults', [
    { path: '/1.1/followers/ids.json', action: 429, times: 1, limit: 15, reset_seconds: 60 },
    { path: '/2/users/*/followers', caller: 'alice', action: 429, times: 1 },
  ]);
  assert.equal(added.status, 201);
  const alice = h.client('alice');
  const err = await apiError(alice.v1.get('followers/ids.json', { screen_name: 'bob' }));
  assert.equal(err.code, 429);
  assert.deepEqual(err.data, { errors: [{ code: 88, message: 'Rate limit exceeded' }] });
  assert.equal(err.rateLimit?.limit, 15);
  assert.equal(err.rateLimit?.remaining, 0);
  assert.equal(err.rateLimit?.reset, Date.UTC(2025, 0, 1) / 1000 + 60, 'reset on the emulator clock');
  assert.equal(err.headers['retry-after'], '60');
  assert.deepEqual((await alice.v1.get('followers/ids.json', { screen_name: 'bob', stringify_ids: true })).ids, [h.server.emulator!.loaded.users.get('alice')!.id.toString()]);

  const bobId = h.server.emulator!.loaded.users.get('bob')!.id.toString();
  const v2 = await apiError(alice.v2.followers(bobId));
  assert.equal(v2.code, 429);
  // No limit in the rule: the endpoint's own user limit, read from the endpoint table.
  const followers = V2_ENDPOINTS.find((e) => e.method === 'GET' && e.path === '/2/users/:id/followers')!;
  assert.equal(v2.rateLimit?.limit, followers.userLimit);
  assert.equal(v2.rateLimit?.reset, Date.UTC(2025, 0, 1) / 1000 + 900);
  assert.deepEqual(v2.data, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
  assert.equal((await alice.v2.followers(bobId)).data.length, 1);
});

test('500 gives code 131 (v1.1) or the Internal Server Error problem (v2); a delay holds the reply; drop closes the socket', async () => {
  await h.admin('DELETE', 'faults');
  await h.admin('POST', 'faults', [
    { method: 'GET', path: '/1.1/friendships/show.json', action: 500, times: 1 },
    { path: '/2/users/me', action: 500, times: 1 },
    { path: '/1.1/users/lookup.json', action: 'delay', delay_ms: 300, times: 1 },
    { path: '/1.1/blocks/ids.json', action: 'drop', times: 1 },
  ]);
  const alice = h.client('alice');
  const e1 = await apiError(alice.v1.get('friendships/show.json', { source_screen_name: 'alice', target_screen_name: 'bob' }));
  assert.equal(e1.code, 500);
  assert.deepEqual(e1.data, { errors: [{ code: 131, message: 'Internal error' }] });
  const e2 = await apiError(alice.v2.me());
  assert.equal(e2.code, 500);
  assert.equal((e2.data as { title?: string }).title, 'Internal Server Error');

  const t0 = performance.now();
  const users = await alice.v1.get('users/lookup.json', { screen_name: 'bob' });
  assert.ok(performance.now() - t0 >= 280, 'the reply waited for the delay');
  assert.equal(users[0].screen_name, 'bob');

  const dropped = await fetch(`${h.url}/1.1/blocks/ids.json`).then(() => null, (e: unknown) => e);
  assert.ok(dropped instanceof TypeError, 'the connection was closed without a reply');
  const log = await h.admin('GET', 'requests?path=/1.1/blocks/ids.json');
  assert.equal(log.json.requests.at(-1).status, 0);
  const rules = await h.admin('GET', 'faults');
  assert.deepEqual(rules.json.faults.map((r: { fired: number; times: number }) => [r.fired, r.times]), [[1, 0], [1, 0], [1, 0], [1, 0]]);
});

test('a probability draws from the seed: the same seed fires on the same requests every run', async () => {
  const pattern = async (seed: number) => {
    const e = await startEmulator(FIXTURE, { seed });
    try {
      await e.admin('POST', 'faults', { path: '/1.1/account/verify_credentials.json', action: 503, probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await e.rawBytes('GET', '/1.1/account/verify_credentials.json', 'alice')).toString().startsWith('HTTP/1.1 503') ? 503 : 200);
      return statuses;
    } finally {
      await e.close();
    }
  };
  const a = await pattern(5);
  assert.deepEqual(await pattern(5), a);
  assert.ok(a.includes(503) && a.includes(200), `both outcomes in 12 draws at p=0.5: ${a}`);
});

test('a window rule shortens the rate-limit window and lowers the limit, and the clock opens the next window', async () => {
  await h.admin('DELETE', 'faults');
  await h.admin('POST', 'faults', { path: '/1.1/friends/ids.json', caller: 'alice', action: 'window', window_seconds: 30, limit: 2 });
  const alice = h.client('alice');
  const first = await alice.v1.get('friends/ids.json', { screen_name: 'bob' }, { fullResponse: true });
  assert.equal(first.rateLimit?.limit, 2);
  const reset = first.rateLimit!.reset;
  assert.equal(reset, Math.ceil(((await h.admin('GET', 'clock')).json.now_ms + 30_000) / 1000));
  await alice.v1.get('friends/ids.json', { screen_name: 'bob' });
  const refused = await apiError(alice.v1.get('friends/ids.json', { screen_name: 'bob' }));
  assert.equal(refused.code, 429);
  assert.equal(refused.rateLimit?.reset, reset);
  // bob's window is Twitter's own 15 minutes.
  const bobs = await h.client('bob').v1.get('friends/ids.json', { screen_name: 'alice' }, { fullResponse: true });
  assert.equal(bobs.rateLimit?.limit, 15);

  assert.equal((await h.admin('POST', 'clock', { advance_seconds: 30 })).status, 200);
  const next = await alice.v1.get('friends/ids.json', { screen_name: 'bob' }, { fullResponse: true });
  assert.equal(next.rateLimit?.remaining, 1);
  assert.equal(next.rateLimit?.reset, reset + 30);
});

test('bad rules are refused with the key at fault', async () => {
  const bad = await h.admin('POST', 'faults', { path: '/x', action: 418 });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error, /action must be one of 429, 503, 500, delay, drop, window/);
  const badKey = await h.admin('POST', 'faults', [{ path: '/x', action: 500 }, { path: '/x', action: 500, tmes: 2 }]);
  assert.equal(badKey.status, 400);
  assert.match(badKey.json.error, /rule 1: unknown key "tmes"/);
});
