// Fixtures with stable names, the admin routes and the controlled clock, through the real wire.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseFixture } from '../../src/emulator/fixture.js';
import { startHarness } from '../support/harness.js';
import { ADMIN_TOKEN, startEmulator, type EmulatorHarness } from '../support/emulator.js';

const FIXTURE = `
apps:
  demo:
    consumer_key: fixedconsumerkey
    consumer_secret: fixedconsumersecret
users:
  alice: { name: Alice }
  bob: { name: Bob, description: builder }
  carol: { name: Carol, protected: true }
  dave: {}
  erin: { suspended: true }
tokens:
  alice: { app: demo, token: 1-alicefixedtoken, secret: alicefixedsecret }
  bob: { app: demo }
  bob_reader: { user: bob, app: demo, access: read }
  carol: { app: demo }
follows:
  - alice follows bob
  - bob -> alice
  - alice -> carol
  - dave -> bob
  - erin -> bob
requests:
  - dave -> carol
blocks:
  - carol blocks dave
mutes:
  - alice -> dave
`;

let h: EmulatorHarness;
before(async () => { h = await startEmulator(FIXTURE); });
after(() => h.close());

test('a fixture builds the graph through the rules: counts, requests, blocks, mutes and suspensions are what the API reports', async () => {
  const alice = h.client('alice');
  const bob = await alice.v1.get('users/show.json', { screen_name: 'bob' });
  assert.equal(bob.description, 'builder');
  assert.equal(bob.followers_count, 2, 'alice and dave; erin is suspended');
  assert.equal(bob.friends_count, 1);
  const carol = await alice.v1.get('users/show.json', { screen_name: 'carol' });
  assert.equal(carol.followers_count, 1, 'alice follows the protected carol: approved');
  const rel = await alice.v1.get('friendships/show.json', { source_screen_name: 'alice', target_screen_name: 'dave' });
  assert.equal(rel.relationship.source.muting, true);
  const pending = await h.client('carol').v1.get('friendships/incoming.json', { stringify_ids: true });
  assert.deepEqual(pending.ids, [], 'the block dropped dave\'s request');
  const blocks = await h.client('carol').v1.get('blocks/list.json');
  assert.deepEqual(blocks.users.map((u: { screen_name: string }) => u.screen_name), ['dave']);
  // A token named apart from its user; read-only as the fixture said.
  const reader = h.client('bob_reader');
  assert.equal((await reader.v1.get('account/verify_credentials.json')).screen_name, 'bob');
  const refused = await reader.v1.post('friendships/create.json', { screen_name: 'carol' }).then(() => null, (e: { code: number }) => e);
  assert.equal(refused?.code, 401);
});

test('credentials are obtainable by name, and fixed ones are kept as written', async () => {
  const creds = await h.admin('GET', 'credentials');
  assert.equal(creds.json.apps.demo.consumer_key, 'fixedconsumerkey');
  assert.equal(creds.json.apps.demo.consumer_secret, 'fixedconsumersecret');
  assert.equal(creds.json.tokens.alice.oauth_token, '1-alicefixedtoken');
  assert.equal(creds.json.tokens.alice.oauth_token_secret, 'alicefixedsecret');
  assert.equal(creds.json.tokens.bob_reader.screen_name, 'bob');
  assert.match(creds.json.tokens.bob.oauth_token, new RegExp(`^${creds.json.users.bob.id_str}-[A-Za-z0-9]{40}$`));
});

test('the state dump lists accounts with counts, every edge by name, and the clock', async () => {
  const state = (await h.admin('GET', 'state')).json;
  assert.equal(state.seed, 7);
  assert.equal(state.clock.mode, 'frozen');
  assert.deepEqual(state.follows.sort(), ['alice -> bob', 'alice -> carol', 'bob -> alice', 'dave -> bob', 'erin -> bob']);
  assert.deepEqual(state.blocks, ['carol -> dave']);
  assert.deepEqual(state.mutes, ['alice -> dave']);
  assert.deepEqual(state.requests, []);
  assert.equal(state.accounts.erin.state, 'suspended');
  assert.equal(state.accounts.bob.followers_count, 2);
});

test('the request log names method, path, caller and status', async () => {
  await h.admin('DELETE', 'requests');
  await h.client('alice').v1.get('users/show.json', { screen_name: 'bob' });
  await h.appClient().v1.get('users/show.json', { screen_name: 'nobody' }).catch(() => undefined);
  const { requests } = (await h.admin('GET', 'requests')).json;
  assert.deepEqual(requests.map((r: Record<string, unknown>) => [r.method, r.path, r.caller, r.status]), [
    ['GET', '/1.1/users/show.json', 'alice', 200],
    ['GET', '/1.1/users/show.json', 'demo', 404],
  ]);
  assert.equal(requests[0].at, '2025-01-01T00:00:00.000Z');
});

test('the clock is set and advanced by the admin route; stamps, Date and x-rate-limit-reset follow it', async () => {
  const before = await h.client('bob').v1.get('account/verify_credentials.json', {}, { fullResponse: true });
  const set = await h.admin('POST', 'clock', { now: '2030-06-01T12:00:00Z' });
  assert.equal(set.json.now, '2030-06-01T12:00:00.000Z');
  const moved = await h.admin('POST', 'clock', { advance_ms: 1500 });
  assert.equal(moved.json.now_ms, Date.UTC(2030, 5, 1, 12, 0, 1, 500));
  // A new window opens at the new time; its reset is 15 minutes past it.
  const after = await h.client('bob').v1.get('account/verify_credentials.json', {}, { fullResponse: true });
  assert.notEqual(after.rateLimit?.reset, before.rateLimit?.reset);
  assert.equal(after.rateLimit?.reset, Math.ceil((Date.UTC(2030, 5, 1, 12, 0, 1, 500) + 900_000) / 1000));
  const res = await fetch(`${h.url}/1.1/users/show.json?screen_name=bob`);
  assert.equal(res.headers.get('date'), 'Sat, 01 Jun 2030 12:00:01 GMT');
  const bad = await h.admin('POST', 'clock', { advance_ms: -5 });
  assert.equal(bad.status, 400);
});

test('a real clock follows the wall clock, shifted by what the test advances', async () => {
  const real = await startEmulator('users:\n  ann: {}\n', { clock: 'real' });
  try {
    const moved = await real.admin('POST', 'clock', { advance_seconds: 3600 });
    assert.equal(moved.json.mode, 'real');
    // Generous bounds: only the hour's shift is asserted, not how fast this machine is.
    const shift = moved.json.now_ms - Date.now();
    assert.ok(shift > 3_540_000 && shift <= 3_600_000, `shifted by ${shift} ms`);
    const date = Date.parse((await fetch(`${real.url}/_roost/health`)).headers.get('date')!);
    assert.ok(Math.abs(date - Date.now() - 3_600_000) < 60_000, 'the Date header is on the shifted clock');
  } finally {
    await real.close();
  }
});

test('reset returns the fixture state: writes, windows, faults and the log are gone, the clock is back', async () => {
  const alice = h.client('alice');
  await alice.v1.post('friendships/destroy.json', { screen_name: 'bob' });
  await h.admin('POST', 'faults', { path: '/1.1/users/show.json', action: 500 });
  assert.equal((await h.admin('POST', 'reset')).status, 200);
  const bob = await alice.v1.get('users/show.json', { screen_name: 'bob' }, { fullResponse: true });
  assert.equal(bob.data.followers_count, 2);
  assert.equal(bob.rateLimit?.remaining, 899, 'a fresh window');
  assert.deepEqual((await h.admin('GET', 'faults')).json.faults, []);
  assert.equal((await h.admin('GET', 'requests')).json.requests.length, 1);
  assert.equal((await h.admin('GET', 'clock')).json.now, '2025-01-01T00:00:00.000Z');
});

test('a fixture loaded at runtime replaces the state; a bad one is refused with its line and key, and nothing changes', async () => {
  const loaded = await h.admin('POST', 'fixture', 'apps:\n  other: {}\nusers:\n  zed: {}\n');
  assert.equal(loaded.status, 200);
  assert.deepEqual(Object.keys(loaded.json.tokens), ['zed']);
  const zed = loaded.json.tokens.zed;
  const res = await fetch(`${h.url}/1.1/users/show.json?screen_name=alice`, { headers: { authorization: `Bearer ${loaded.json.apps.other.bearer_token}` } });
  assert.equal(res.status, 404, 'alice is gone');
  assert.equal(zed.screen_name, 'zed');

  const bad = await h.admin('POST', 'fixture', 'users:\n  ann: {}\n  ben:\n    protected: maybe\n');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error, 'request body:4: users.ben.protected: must be true or false');
  assert.deepEqual(Object.keys((await h.admin('GET', 'credentials')).json.tokens), ['zed']);

  // Well-formed, but refused by the account rules the load would apply: checked before anything
  // is written, so the previous fixture stays whole.
  const refused = await h.admin('POST', 'fixture', `apps:\n  a: {}\nusers:\n  ann: { name: ${'n'.repeat(51)} }\n`);
  assert.equal(refused.status, 400);
  assert.equal(refused.json.error, 'request body:4: users.ann.name: name must be at most 50 characters');
  assert.deepEqual(Object.keys((await h.admin('GET', 'credentials')).json.tokens), ['zed']);
});

test('fixture errors name the line and key', () => {
  const cases: [string, RegExp][] = [
    ['users:\n  alice: {}\nfollows:\n  - alice -> bob\n', /^f:4: follows\[0\]: no user "bob" in users$/],
    ['users:\n  alice: {}\nfollows:\n  - alice likes alice\n', /^f:4: follows\[0\]: must read "alice -> bob" or "alice follows bob"$/],
    ['apps:\n  a: {}\nusers:\n  al: {}\ntokens:\n  al: { app: b }\n', /^f:6: tokens\.al\.app: no app "b" in apps$/],
    ['users:\n  al: { nmae: x }\n', /^f:2: users\.al\.nmae: unknown key/],
    ['faults:\n  - path: /x\n    action: 500\n    times: 0\n', /^f:4: faults\[0\]\.times: times must be a whole number >= 1$/],
    ['usres: {}\n', /^f:1: usres: unknown key/],
    ['users:\n  al: {}\nmutes:\n  - al mutes al\n', /^f:4: mutes\[0\]: al cannot be its own mute$/],
    ['users:\n  al: {}\n  bo: {}\nfollows:\n  - al -> bo\n  - al follows bo\n', /^f:6: follows\[1\]: al -> bo is listed twice$/],
    ['apps:\n  a: { consumer_key: k1 }\n  b: { consumer_key: k1 }\n', /^f:3: apps\.b\.consumer_key: the same value as apps\.a\.consumer_key$/],
    ['users:\n  al: {}\n  bo: {}\n  cy:\n    url: ftp://c.example\n', /^f:5: users\.cy\.url: url "ftp:\/\/c\.example" must start with http:\/\/ or https:\/\/$/],
    ['apps:\n  a:\n    callback_urls:\n      - https://a.example/cb\n      - https://a.example/cb#x\n', /^f:5: apps\.a\.callback_urls\[1\]: callback URL .* must be http\(s\) and have no fragment$/],
    ['apps:\n  a: {}\nusers:\n  al: {}\ntokens:\n  t1: { user: al }\n  t2: { user: al }\n', /^f:7: tokens\.t2: same user, app and access as tokens\.t1; roost keeps one token for those$/],
    ['users:\n  al: {}\n  bo: {}\nrequests:\n  - al -> bo\n', /^f:5: requests\[0\]: bo is not protected, so a follow would not wait for approval$/],
    ['users: [\n', /^f:\d+: /],
  ];
  for (const [text, expected] of cases) assert.throws(() => parseFixture(text, 'f'), { message: expected });
});

test('without emulator mode the admin routes are Twitter\'s 404; with it they need the admin token, except health', async () => {
  const plain = await startHarness();
  try {
    const res = await fetch(`${plain.url}/_roost/health`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { errors: [{ code: 34, message: 'Sorry, that page does not exist.' }] });
  } finally {
    await plain.close();
  }
  const health = await fetch(`${h.url}/_roost/health`);
  assert.equal(health.status, 200);
  const body = await health.json() as { status: string; version: string };
  assert.equal(body.status, 'ok');
  assert.match(body.version, /^\d+\.\d+\.\d+/);
  for (const auth of [undefined, 'Bearer wrong', `Basic ${ADMIN_TOKEN}`]) {
    const res = await fetch(`${h.url}/_roost/state`, { headers: auth ? { authorization: auth } : {} });
    assert.equal(res.status, 401);
  }
});
