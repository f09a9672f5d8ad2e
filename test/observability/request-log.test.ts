// One log line per request: method, route template, status, latency, caller kind and the id
// the client got in x-transaction-id; and no credential of any kind in any line.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newRequestId } from '../../src/observability/request-log.js';
import { secretsIn } from '../../src/observability/secret-scan.js';
import { startHarness, type Harness, type TestUser } from '../support/harness.js';
import { LogLines } from '../support/log-lines.js';
import { raw } from '../support/raw.js';
import { PASSWORD, userWithPassword } from '../support/sign-in.js';
import { send, signedRequest } from '../support/sign.js';

let h: Harness;
let alice: TestUser;
let bob: TestUser;
const logs = new LogLines();

before(async () => {
  h = await startHarness({}, { logDestination: logs });
  alice = await h.user('alice');
  bob = await h.user('bob');
});
after(() => h.close());

const idOf = (headers: Headers): string => {
  const id = headers.get('x-transaction-id');
  assert.match(id ?? '', /^[0-9a-f]{16}$/);
  return id!;
};

test('a signed call is logged once with its route template, status, latency and caller kind', async () => {
  const r = await raw(h, 'GET', `/2/users/${bob.user.id}`, { user: alice });
  assert.equal(r.status, 200, r.text);
  const line = await logs.requestLine(idOf(r.headers));
  assert.equal(line.method, 'GET');
  assert.equal(line.route, '/2/users/:id', 'the template, not the path with the id');
  assert.equal(line.status, 200);
  assert.equal(line.caller, 'user');
  assert.equal(typeof line.ms, 'number');
  assert.ok((line.ms as number) >= 0);
  assert.equal(logs.lines.filter((l) => l.reqId === line.reqId).length, 1, 'one line per request');
});

test('app-only, anonymous and refused callers are told apart; each request has its own id', async () => {
  const app = await raw(h, 'GET', '/1.1/users/show.json', { bearer: h.app.bearerToken! }, { query: { screen_name: 'bob' } });
  const none = await raw(h, 'GET', '/1.1/users/show.json', { none: true }, { query: { screen_name: 'bob' } });
  const bad = await raw(h, 'GET', '/1.1/users/show.json', { bearer: 'not-a-token-at-all' }, { query: { screen_name: 'bob' } });
  assert.deepEqual([app.status, none.status, bad.status], [200, 400, 401]);
  const lines = await Promise.all([app, none, bad].map((r) => logs.requestLine(idOf(r.headers))));
  assert.deepEqual(lines.map((l) => l.caller), ['app', 'anonymous', 'anonymous']);
  assert.deepEqual(lines.map((l) => l.authFailure), [undefined, 'missing', 'invalid-token']);
  assert.equal(new Set(lines.map((l) => l.reqId)).size, 3);
  const unmatched = await raw(h, 'GET', '/1.1/no/such/thing.json?oauth_token=x', { none: true });
  assert.equal((await logs.requestLine(idOf(unmatched.headers))).route, '(unmatched)');
});

test('no secret, token, signature or password reaches the log, wherever the client put it', async () => {
  const creds = { consumerKey: h.app.consumerKey, consumerSecret: h.app.consumerSecret, token: alice.token, tokenSecret: alice.secret };
  const sent: string[] = [h.app.consumerSecret, h.app.bearerToken!, h.app.clientSecret, alice.token, alice.secret, bob.secret, PASSWORD];
  // OAuth parameters in the query string and in a form body, as well as in the header.
  for (const carry of ['header', 'query', 'body'] as const) {
    const req = signedRequest(creds, { method: 'POST', origin: h.url, path: '/1.1/friendships/create.json', form: [['screen_name', 'bob']], carry });
    const r = await send(req.url, req.init);
    assert.equal(r.status, 200, r.text);
    sent.push(decodeURIComponent(/oauth_signature=([^&"]+)/.exec(req.url + (req.init.body ?? '') + JSON.stringify(req.init.headers))![1]!));
    await logs.requestLine(idOf(r.headers));
  }
  // A password posted to the sign-in form, and app credentials sent to the token endpoint.
  await userWithPassword(h, 'carol');
  const form = await fetch(`${h.url}/i/sign-in`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `session=${alice.secret}` },
    body: new URLSearchParams({ screen_name: 'carol', password: PASSWORD, csrf_token: alice.token }).toString(),
  });
  await logs.requestLine(idOf(form.headers));
  const basic = Buffer.from(`${h.app.consumerKey}:${h.app.consumerSecret}`).toString('base64');
  sent.push(basic);
  const token = await fetch(`${h.url}/oauth2/token`, {
    method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials',
  });
  assert.equal(token.status, 200);
  await logs.requestLine(idOf(token.headers));

  const all = logs.text.join('\n');
  assert.ok(logs.lines.filter((l) => l.msg === 'request').length >= 6);
  assert.deepEqual([...secretsIn(all, sent)].map((s) => s.slice(0, 4)), []);
  // The scan itself finds a secret that is there, in the forms a request carries it.
  assert.equal(secretsIn(`${all}\n{"url":"/x?p=${encodeURIComponent(PASSWORD)}"}`, sent).size, 1);
});

test('API replies are never cached or sniffed; pages cannot be framed', async () => {
  const api = await raw(h, 'GET', '/1.1/account/verify_credentials.json', { user: alice });
  assert.match(api.headers.get('cache-control') ?? '', /no-store/);
  assert.equal(api.headers.get('x-content-type-options'), 'nosniff');
  const v2 = await raw(h, 'GET', '/2/users/me', { user: alice });
  assert.match(v2.headers.get('cache-control') ?? '', /no-store/);
  const notFound = await raw(h, 'GET', '/nothing/here', { none: true });
  assert.match(notFound.headers.get('cache-control') ?? '', /no-store/);
  assert.equal(notFound.headers.get('x-content-type-options'), 'nosniff');
  const page = await fetch(`${h.url}/i/oauth2/authorize`);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  const health = await fetch(`${h.url}/health/live`);
  assert.equal(health.headers.get('cache-control'), 'no-store');
  assert.equal(health.headers.get('x-content-type-options'), 'nosniff');
});

test('request ids stay 16 hex digits and never repeat, across many refills of their random pool', async () => {
  const seen = new Set<string>();
  const answered = await Promise.all(Array.from({ length: 20 }, () => fetch(`${h.url}/health/live`)));
  for (const r of answered) seen.add(r.headers.get('x-transaction-id') ?? '');
  for (let i = 0; i < 5000; i++) seen.add(newRequestId());
  for (const id of seen) assert.match(id, /^[0-9a-f]{16}$/);
  assert.equal(seen.size, 5020);
});
