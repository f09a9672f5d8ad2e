// Slow and oversized clients get a clean Twitter-shaped answer and do not hold the server: a
// head trickled past the headers timeout is cut off while others are served; a head, a body or
// a parameter list over its limit is refused.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { startHarness, type Harness, type TestUser } from '../support/harness.js';
import { raw } from '../support/raw.js';
import { parseAnswer, rawConnection } from '../support/raw-socket.js';

let h: Harness;
let alice: TestUser;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  h = await startHarness({ limits: { ...loadConfig({}, {}).limits, headersTimeoutMs: 500, requestTimeoutMs: 1500 } });
  alice = await h.user('alice');
});
after(() => h.close());

test('a client trickling its headers is cut off with 408, and others are answered meanwhile', async () => {
  const slow = await rawConnection(h.url);
  slow.write('GET /1.1/account/verify_credentials.json HTTP/1.1\r\nHost: roost\r\n');
  const started = Date.now();
  const trickle = setInterval(() => slow.write(`X-Slow-${Date.now()}: x\r\n`), 50);
  let served = 0;
  try {
    // Well past the headers timeout, another client is answered every few milliseconds.
    while (Date.now() - started < 1200 && !slow.socket.destroyed) {
      const r = await raw(h, 'GET', '/1.1/account/verify_credentials.json', { user: alice });
      assert.equal(r.status, 200);
      served++;
      await sleep(20);
    }
    const answer = parseAnswer(await slow.closed);
    assert.equal(answer.status, 408);
    assert.deepEqual(JSON.parse(answer.body), { errors: [{ code: 195, message: 'Missing or invalid url parameter.' }] });
    assert.ok(Date.now() - started < 3000, 'cut off near the headers timeout');
    assert.ok(served >= 3, `others were served meanwhile (${served})`);
  } finally {
    clearInterval(trickle);
    slow.socket.destroy();
  }
});

/** A request with a head of any size (fetch and twitter-api-v2 cap what they send). */
function bigHead(bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(h.url);
    const req = request({ host: hostname, port, path: '/1.1/users/show.json?screen_name=alice', headers: { 'x-padding': 'a'.repeat(bytes) } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a head over the header limit is 431 in Twitter\'s format', async () => {
  const r = await bigHead(20 * 1024);
  assert.equal(r.status, 431);
  assert.deepEqual(JSON.parse(r.body), { errors: [{ code: 195, message: 'Missing or invalid url parameter.' }] });
  assert.equal((await raw(h, 'GET', '/1.1/account/verify_credentials.json', { user: alice })).status, 200);
});

test('a body over the body limit is 413, in v1.1 or v2 format by path', async () => {
  const body = `screen_name=${'b'.repeat(70 * 1024)}`;
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const v1 = await fetch(`${h.url}/1.1/friendships/create.json`, { method: 'POST', headers, body });
  assert.equal(v1.status, 413);
  assert.deepEqual(await v1.json(), { errors: [{ code: 195, message: 'Missing or invalid url parameter.' }] });
  const v2 = await fetch(`${h.url}/2/users/${alice.user.id}/following`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(v2.status, 413);
  assert.equal(v2.headers.get('content-type'), 'application/problem+json');
  assert.deepEqual(await v2.json(), { title: 'Payload Too Large', type: 'about:blank', status: 413, detail: 'Payload Too Large' });
});

test('more than 400 parameters are refused before anything else runs', async () => {
  const many = Object.fromEntries(Array.from({ length: 401 }, (_, i) => [`p${i}`, '1']));
  const r = await raw(h, 'GET', '/1.1/users/show.json', { user: alice }, { query: { screen_name: 'alice', ...many } });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(r.json, { errors: [{ code: 195, message: 'Missing or invalid url parameter.' }] });
  const split = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`q${i}`, '1']));
  const form = await raw(h, 'POST', '/1.1/friendships/create.json', { user: alice }, { query: split, form: { ...many } });
  assert.equal(form.status, 400, 'query and form parameters count together');
  const fine = Object.fromEntries(Array.from({ length: 390 }, (_, i) => [`p${i}`, '1']));
  assert.equal((await raw(h, 'GET', '/1.1/users/show.json', { user: alice }, { query: { screen_name: 'alice', ...fine } })).status, 200);
});
