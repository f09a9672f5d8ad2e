// GET /metrics in Prometheus text: requests and latency per route template and status,
// rate-limit rejections, auth failures by reason, database time per store operation, committed
// graph writes and process metrics; behind a token, or on a port of its own, when configured.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness, type Harness, type TestUser } from '../support/harness.js';
import { raw } from '../support/raw.js';

let h: Harness;
let alice: TestUser;
let bob: TestUser;

before(async () => {
  h = await startHarness({ rateLimits: true });
  alice = await h.user('alice');
  bob = await h.user('bob');
});
after(() => h.close());

/** The value of one sample, found by name and its labels; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const set = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

async function scrape(url = h.url, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return res.text();
}

test('requests, latency, auth failures, graph writes and database time are counted', async () => {
  const before = await scrape();
  const route = '/1.1/friendships/create.json';
  for (const target of [bob]) {
    const r = await raw(h, 'POST', route, { user: alice }, { form: { user_id: target.user.id.toString() } });
    assert.equal(r.status, 200, r.text);
  }
  assert.equal((await raw(h, 'POST', '/1.1/blocks/create.json', { user: bob }, { form: { screen_name: 'alice' } })).status, 200);
  for (let i = 0; i < 2; i++) await raw(h, 'GET', `/2/users/${bob.user.id}`, { bearer: 'unknown-bearer-token' });
  const text = await scrape();

  const ok = { method: 'POST', route, status: '200' };
  assert.equal(sample(text, 'roost_http_requests_total', ok) - sample(before, 'roost_http_requests_total', ok), 1);
  assert.equal(sample(text, 'roost_http_request_duration_seconds_count', ok), sample(text, 'roost_http_requests_total', ok));
  assert.ok(sample(text, 'roost_http_request_duration_seconds_sum', ok) > 0);
  assert.equal(sample(text, 'roost_http_requests_total', { route: '/2/users/:id', status: '401' }), 2, 'by template, not by path');
  assert.equal(sample(text, 'roost_auth_failures_total', { reason: 'invalid-token' }), 2);
  assert.equal(sample(text, 'roost_graph_writes_total', { action: 'follow' }) - sample(before, 'roost_graph_writes_total', { action: 'follow' }), 1);
  assert.equal(sample(text, 'roost_graph_writes_total', { action: 'block' }), 1);
  assert.ok(sample(text, 'roost_db_query_duration_seconds_count', { kind: 'transaction' }) >= 2);
  assert.ok(sample(text, 'roost_db_query_duration_seconds_count', { kind: 'tokenByValue' }) >= 2);
  assert.match(text, /^process_cpu_user_seconds_total \d/m);
  assert.match(text, /^nodejs_heap_size_used_bytes \d/m);
});

test('a refused graph write is not counted as one', async () => {
  const before = sample(await scrape(), 'roost_graph_writes_total', { action: 'follow' });
  // bob blocks alice (previous test): her follow is refused.
  const r = await raw(h, 'POST', '/1.1/friendships/create.json', { user: alice }, { form: { screen_name: 'bob' } });
  assert.equal(r.status, 403, r.text);
  assert.equal(sample(await scrape(), 'roost_graph_writes_total', { action: 'follow' }), before);
});

test('429s from the rate limiter are counted per route', async () => {
  const route = '/1.1/followers/ids.json';
  let refused = 0;
  for (let i = 0; i < 17; i++) {
    const r = await raw(h, 'GET', route, { user: bob }, { query: { screen_name: 'alice' } });
    if (r.status === 429) refused++;
  }
  assert.equal(refused, 2);
  assert.equal(sample(await scrape(), 'roost_rate_limit_rejections_total', { route }), 2);
});

test('with a token, /metrics answers only to it; with a port of its own, only there', async () => {
  const guarded = await startHarness({ metrics: { enabled: true, token: 'scrape-me-please', port: null, host: '127.0.0.1' } });
  const apart = await startHarness({ metrics: { enabled: true, token: null, port: 0, host: '127.0.0.1' } });
  const off = await startHarness({ metrics: { enabled: false, token: null, port: null, host: '127.0.0.1' } });
  try {
    assert.equal((await fetch(`${guarded.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer scrape-me-pleasX' } })).status, 401);
    assert.match(await scrape(guarded.url, { authorization: 'Bearer scrape-me-please' }), /roost_http_requests_total/);

    assert.equal((await fetch(`${apart.url}/metrics`)).status, 404, 'not on the API port');
    assert.ok(apart.server.metricsUrl);
    assert.notEqual(apart.server.metricsUrl, apart.url);
    assert.match(await scrape(apart.server.metricsUrl), /roost_http_requests_total/);

    assert.equal((await fetch(`${off.url}/metrics`)).status, 404);
    assert.equal(off.server.metricsUrl, null);
  } finally {
    await Promise.all([guarded.close(), apart.close(), off.close()]);
  }
});
