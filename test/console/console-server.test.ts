// The console outside emulator mode: absent (Twitter's 404) unless ROOST_CONSOLE_TOKEN is set;
// then refused without that token, on the API port or a port of its own. Capture happens only
// while someone watches, usage is counted always, and OAuth refusals are explained only in emulator mode.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ServerConfig } from '../../src/config.js';
import { startHarness, type Harness } from '../support/harness.js';
import { sendSigned, signedRequest } from '../support/sign.js';

const TOKEN = 'console-test-token';
const consoleOn = (port: number | null = null): Partial<ServerConfig> => ({ console: { token: TOKEN, port, host: '127.0.0.1', expose: false } });
const bearer = { authorization: `Bearer ${TOKEN}` };

describe('without ROOST_CONSOLE_TOKEN', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());

  test('the console and its routes are Twitter\'s 404', async () => {
    assert.equal(h.server.consoleUrl, null);
    for (const path of ['/_roost/console', '/_roost/users', '/_roost/requests/stream', '/_roost/console/app.js']) {
      const res = await fetch(`${h.url}${path}`, { headers: bearer });
      assert.equal(res.status, 404, path);
      assert.equal((await res.json() as { errors: { code: number }[] }).errors[0]!.code, 34);
    }
  });
});

describe('with ROOST_CONSOLE_TOKEN, on the API port', () => {
  let h: Harness;
  before(async () => { h = await startHarness(consoleOn()); });
  after(() => h.close());

  test('the page and the routes are refused without the token, and open with it', async () => {
    assert.equal(h.server.consoleUrl, `${h.url}/_roost/console`);
    assert.equal((await fetch(`${h.url}/_roost/console`)).status, 401);
    assert.equal((await fetch(`${h.url}/_roost/users`)).status, 401);
    assert.equal((await fetch(`${h.url}/_roost/users`, { headers: { authorization: 'Bearer nope' } })).status, 401);
    const signIn = await fetch(`${h.url}/_roost/console?token=${TOKEN}`, { redirect: 'manual' });
    assert.equal(signIn.status, 303);
    const cookie = signIn.headers.get('set-cookie')!;
    assert.match(cookie, /HttpOnly; SameSite=Strict/);
    const page = await fetch(`${h.url}/_roost/console`, { headers: { cookie: cookie.split(';')[0]! } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy')!, /default-src 'none'/);
    assert.equal((await fetch(`${h.url}/_roost/users`, { headers: bearer })).status, 200);
    // A write with the cookie alone (what a cross-site form could send) is refused.
    const forged = await fetch(`${h.url}/_roost/users`, { method: 'POST', headers: { cookie: cookie.split(';')[0]!, 'content-type': 'application/json' }, body: '{"screen_name":"mallory"}' });
    assert.equal(forged.status, 401);
  });

  test('emulator-only routes say so', async () => {
    const res = await fetch(`${h.url}/_roost/snapshots`, { headers: bearer });
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: string }).error, /emulator mode/);
  });

  test('nothing is captured while nobody watches; a watcher sees requests live, unexplained outside emulator mode', async () => {
    const alice = await h.user('alice_c');
    await alice.client.v1.get('account/verify_credentials.json');
    assert.equal((await fetch(`${h.url}/_roost/requests/captured/1`, { headers: bearer })).status, 404);
    const abort = new AbortController();
    const stream = await fetch(`${h.url}/_roost/requests/stream`, { headers: bearer, signal: abort.signal });
    assert.equal(stream.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = stream.body!.getReader();
    const events: string[] = [];
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(events.join(''))) {
        const { value, done } = await reader.read();
        if (done) break;
        events.push(new TextDecoder().decode(value));
      }
    };
    await readUntil(/event: backlog/);
    const bad = signedRequest({ consumerKey: h.app.consumerKey, consumerSecret: 'wrong', token: alice.token, tokenSecret: alice.secret },
      { method: 'GET', origin: h.url, path: '/1.1/users/show.json', query: [['screen_name', 'alice_c']] });
    assert.equal((await sendSigned(bad)).status, 401);
    await readUntil(/event: request/);
    const row = JSON.parse(/event: request\ndata: (.*)\n/.exec(events.join(''))![1]!);
    assert.equal(row.path, '/1.1/users/show.json');
    assert.equal(row.status, 401);
    assert.equal(row.explained, false);
    const full = await (await fetch(`${h.url}/_roost/requests/captured/${row.seq}`, { headers: bearer })).json() as { explanation: unknown; requestHeaders: Record<string, string> };
    assert.equal(full.explanation, null);
    assert.match(full.requestHeaders.authorization!, /oauth_signature="…"/);
    abort.abort();
  });

  test('usage counts every API request while nobody watches, per endpoint, caller and app', async () => {
    assert.equal((await fetch(`${h.url}/_roost/usage`, { method: 'DELETE', headers: bearer })).status, 204);
    const alice = await h.user('alice_u');
    for (let i = 0; i < 3; i++) await alice.client.v1.get('account/verify_credentials.json');
    const usage = await (await fetch(`${h.url}/_roost/usage?by=caller`, { headers: bearer })).json() as any;
    assert.deepEqual([usage.total, usage.by_endpoint, usage.by_caller, usage.by_app],
      [3, { 'GET /1.1/account/verify_credentials.json': 3 }, { alice_u: 3 }, { [h.app.name]: 3 }]);
    assert.deepEqual(usage.series.map((x: any) => [x.name, x.counts.at(-1)]), [['alice_u', 3]]);
  });
});

describe('with a console port of its own', () => {
  let h: Harness;
  before(async () => { h = await startHarness(consoleOn(0)); });
  after(() => h.close());

  test('the console answers there, on loopback, and not on the API port', async () => {
    const url = h.server.consoleUrl!;
    assert.notEqual(new URL(url).port, new URL(h.url).port);
    assert.equal(new URL(url).hostname, '127.0.0.1');
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(`${new URL(url).origin}/_roost/users`, { headers: bearer })).status, 200);
    assert.equal((await fetch(`${h.url}/_roost/console`)).status, 404);
  });
});
