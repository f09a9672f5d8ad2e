// Every v1.1 endpoint fed garbage parameters with valid credentials: roost never answers 5xx,
// and every error is Twitter-shaped JSON (spec §2.3, §2.4, §6.1).
//   ROOST_FUZZ_RUNS   requests the fuzz sends (default 300; e.g. 20000 for a long run)
//   ROOST_FUZZ_SEED   replay a reported seed
//   ROOST_FUZZ_DEBUG  print every request as it goes
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Agent, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import { ApiResponseError, type TwitterApi } from 'twitter-api-v2';
import { createToken } from '../../../src/admin/accounts.js';
import { baseUrl, percentEncode, sign, signatureBaseString } from '../../../src/auth/oauth1-signature.js';
import { parseForm, type Param } from '../../../src/http/form.js';
import { V1_ENDPOINTS, v1Path, type V1Endpoint } from '../../../src/http/v1/endpoints.js';
import { valueArb } from '../../support/fuzz-grammar.js';
import { groupedDrift } from '../../support/recount.js';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';
import { rawHttp, type RawHttpResponse } from '../../support/raw-http.js';

const FUZZ_RUNS = Number(process.env.ROOST_FUZZ_RUNS ?? 300);
const JSON_TYPE = 'application/json;charset=utf-8';

let h: Harness;
let agent: Agent;
let host: string;
let port: number;

interface Caller {
  label: string;
  client: TwitterApi;
  token: string;
  secret: string;
}
const callers: Caller[] = [];
const userIds: string[] = [];
const screenNames: string[] = [];

before(async () => {
  h = await startHarness({
    follow: { followsPerDay: null, followsPerAppPerDay: null, followingCap: null, followingRatio: 1.1 },
  });
  const u = new URL(h.url);
  host = u.host;
  port = Number(u.port);
  agent = new Agent({ keepAlive: true });
  const s = h.server.services;
  const asCaller = (label: string, t: TestUser): Caller => ({ label, client: t.client, token: t.token, secret: t.secret });

  const alice = await h.user('fz_alice');
  const bob = await h.user('fz_bob');
  const carol = await h.user('fz_carol', { protected: true });
  const dave = await h.user('fz_dave');
  const erin = await h.user('fz_erin');
  const frank = await h.user('fz_frank');
  const locked = await h.user('fz_locked');
  await s.graph.follow({ userId: alice.user.id, appId: null }, bob.user.id, { notify: false });
  await s.graph.follow({ userId: bob.user.id, appId: null }, alice.user.id, { notify: false });
  await s.graph.follow({ userId: alice.user.id, appId: null }, carol.user.id, { notify: false });
  await s.graph.follow({ userId: frank.user.id, appId: null }, alice.user.id, { notify: false });
  await s.graph.setState(dave.user.id, 'suspended');
  await s.graph.setState(erin.user.id, 'deactivated');
  await s.store.transaction((tx) => tx.updateUser(locked.user.id, { locked: true }));
  // A read-only token for bob.
  const ro = await createToken(s.store, s.clock, h.app, bob.user, 'read');
  const roClient = h.rawClient({ appKey: h.app.consumerKey, appSecret: h.app.consumerSecret, accessToken: ro.token, accessSecret: ro.secret });

  // alice carries most of the traffic; the others reach the 64, 326 and read-only branches.
  callers.push(asCaller('alice', alice), asCaller('alice', alice), asCaller('alice', alice), asCaller('bob', bob),
    asCaller('carol', carol), asCaller('dave-suspended', dave), asCaller('locked', locked),
    { label: 'bob-read-only', client: roClient, token: ro.token, secret: ro.secret });
  for (const t of [alice, bob, carol, dave, erin, frank, locked]) {
    userIds.push(String(t.user.id));
    screenNames.push(t.user.screenName);
  }
});

after(async () => {
  agent?.destroy();
  await h?.close();
});

// ---------------------------------------------------------------------------------------------
// Raw HTTP, so that the query and body go out byte for byte as built.

const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) =>
  rawHttp(port, agent, method, path, headers, body);

const encodePairs = (pairs: readonly Param[]) => pairs.map(([n, v]) => `${percentEncode(n)}=${percentEncode(v)}`).join('&');

/** An OAuth 1.0a header over the method, URL and every decoded parameter pair (RFC 5849 §3.4). */
function oauthHeader(c: Caller, method: string, path: string, params: readonly Param[]): string {
  const oauth: Param[] = [
    ['oauth_consumer_key', h.app.consumerKey],
    ['oauth_nonce', randomBytes(16).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
    ['oauth_token', c.token],
    ['oauth_version', '1.0'],
  ];
  const base = signatureBaseString(method, baseUrl('http', host, path), [...params, ...oauth]);
  const signature = sign(base, h.app.consumerSecret, c.secret);
  return 'OAuth ' + [...oauth, ['oauth_signature', signature] as const].map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`).join(', ');
}

// ---------------------------------------------------------------------------------------------
// What every answer must look like.

function parseBody(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    assert.fail(`${what}: body is not JSON: ${text.slice(0, 200)}`);
  }
}

function checkResponse(status: number, headers: IncomingHttpHeaders, body: unknown, what: string): void {
  assert.ok(status < 500, `${what}: status ${status} ${JSON.stringify(body)?.slice(0, 300)}`);
  assert.equal(headers['content-type'], JSON_TYPE, `${what}: content-type`);
  const json = typeof body === 'string' ? parseBody(body, what) : body;
  assert.ok(json !== null && typeof json === 'object', `${what}: body is not a JSON object or array`);
  if (status >= 200 && status < 300) {
    // tweepy and python-twitter raise on any body with a top-level errors or error key (§6.1).
    if (!Array.isArray(json)) assert.ok(!('errors' in json) && !('error' in json), `${what}: success body carries an error key`);
    return;
  }
  const o = json as Record<string, unknown>;
  if (Array.isArray(o.errors)) {
    const e = o.errors[0] as Record<string, unknown> | undefined;
    assert.ok(e, `${what}: empty errors array`);
    assert.equal(typeof e.code, 'number', `${what}: errors[0].code`);
    assert.equal(typeof e.message, 'string', `${what}: errors[0].message`);
  } else {
    assert.equal(typeof o.request, 'string', `${what}: neither errors[] nor {request, error}: ${JSON.stringify(o)}`);
    assert.equal(typeof o.error, 'string', `${what}: legacy error`);
  }
}

const codeOf = (body: string): number | undefined => {
  const json = JSON.parse(body) as { errors?: { code?: number }[] } | null;
  return json?.errors?.[0]?.code;
};

// ---------------------------------------------------------------------------------------------
// Garbage.

const EXTRA_NAMES = [
  'id', 'user_id', 'screen_name', 'cursor', 'count', 'stringify_ids', 'include_entities', 'skip_status',
  'q', 'page', 'source_id', 'source_screen_name', 'target_id', 'target_screen_name', 'follow', 'device',
  'retweets', 'resources', 'tweet_mode', 'include_email', 'callback', 'suppress_response_codes', 'ext',
  'include_user_entities', 'user_id[]', '',
];

const valueArbOfRun = () => valueArb({ known: [...userIds, ...screenNames], surrogates: true });

function nameArb(e: V1Endpoint): fc.Arbitrary<string> {
  const own = e.params.length > 0 ? [{ weight: 6, arbitrary: fc.constantFrom(...e.params.map((p) => p.name)) }] : [];
  return fc.oneof(...own, { weight: 2, arbitrary: fc.constantFrom(...EXTRA_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
}

type Mode = 'client' | 'signed' | 'bearer';
interface FuzzCase {
  endpoint: V1Endpoint;
  method: 'GET' | 'POST';
  mode: Mode;
  caller: number;
  params: [string, string][];
  /** for POST: which pairs go in the body (the rest in the query) */
  inBody: boolean[];
  bodyType: 'form' | 'json' | 'none';
}

function caseArb(): fc.Arbitrary<FuzzCase> {
  const values = valueArbOfRun();
  return fc.constantFrom(...V1_ENDPOINTS).chain((endpoint) => fc.record({
    endpoint: fc.constant(endpoint),
    method: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...endpoint.methods) },
      { weight: 1, arbitrary: fc.constantFrom<'GET' | 'POST'>('GET', 'POST') },
    ),
    mode: fc.constantFrom<Mode>('client', 'signed', 'signed', 'bearer'),
    caller: fc.nat({ max: callers.length - 1 }),
    params: fc.array(fc.tuple(nameArb(endpoint), values), { maxLength: 8 }),
    inBody: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    bodyType: fc.constantFrom<FuzzCase['bodyType']>('form', 'form', 'form', 'json', 'none'),
  })).map((c) => Object.assign(c, { [fc.toStringMethod]: () => describe(c) }));
}

function describe(c: FuzzCase): string {
  const params = JSON.stringify(c.params.map(([n, v]) => [n, v.length > 60 ? `${v.slice(0, 60)}…(${v.length})` : v]));
  return `${c.method} ${c.endpoint.name} via ${c.mode} as ${callers[c.caller]!.label} ${params}`;
}

async function viaClient(c: FuzzCase, what: string): Promise<number> {
  const client = callers[c.caller]!.client;
  const obj: Record<string, string> = {};
  // twitter-api-v2 cannot sign lone surrogates (encodeURIComponent throws); the raw modes send them.
  const wellFormed = (x: string) => x.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  for (const [n, v] of c.params) if (!(wellFormed(n) in obj)) obj[wellFormed(n)] = wellFormed(v);
  const url = `${c.endpoint.name}.json`;
  try {
    const res = c.method === 'GET'
      ? await client.v1.get(url, obj, { fullResponse: true })
      : await client.v1.post(url, obj, { fullResponse: true });
    checkResponse(200, res.headers, res.data, what);
    return 200;
  } catch (err) {
    if (!(err instanceof ApiResponseError)) throw err;
    checkResponse(err.code, err.headers, err.data, what);
    return err.code;
  }
}

async function viaRaw(c: FuzzCase, what: string): Promise<RawHttpResponse> {
  const path = v1Path(c.endpoint);
  const query: Param[] = [];
  const body: Param[] = [];
  c.params.forEach((p, i) => (c.method === 'POST' && c.inBody[i] ? body : query).push(p));
  const headers: Record<string, string> = {};
  let payload: string | undefined;
  if (c.method === 'POST') {
    if (c.bodyType === 'form') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = encodePairs(body);
    } else if (c.bodyType === 'json') {
      // not a form: carries no parameters and is not signed (§2.3)
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(Object.fromEntries(body));
    } else {
      query.push(...body);
      payload = '';
    }
  }
  const signedBody = c.method === 'POST' && c.bodyType === 'form' ? body : [];
  if (c.mode === 'bearer') headers.authorization = `Bearer ${h.app.bearerToken}`;
  else headers.authorization = oauthHeader(callers[c.caller]!, c.method, path, [...query, ...signedBody]);
  const qs = encodePairs(query);
  const res = await raw(c.method, qs ? `${path}?${qs}` : path, headers, payload);
  checkResponse(res.status, res.headers, res.body, what);
  return res;
}

// ---------------------------------------------------------------------------------------------

test(`garbage parameters on every v1.1 endpoint (${FUZZ_RUNS} requests): never 5xx, always Twitter-shaped JSON`, async (t) => {
  const seenStatus = new Map<string, number>();
  const tally = (key: string) => seenStatus.set(key, (seenStatus.get(key) ?? 0) + 1);
  await fc.assert(
    fc.asyncProperty(caseArb(), async (c) => {
      const what = describe(c);
      if (process.env.ROOST_FUZZ_DEBUG) console.error('fuzz:', what.slice(0, 400));
      if (c.mode === 'client' && c.method === c.endpoint.methods[0]) {
        tally(`${await viaClient(c, what)}`);
        return;
      }
      const res = await viaRaw(c, what);
      tally(`${res.status}${codeOf(res.body) === undefined ? '' : `/${codeOf(res.body)}`}`);
      if (c.mode === 'signed' && c.endpoint.methods.includes(c.method)) {
        // Correctly signed requests are authenticated, whatever the parameters hold, unless a
        // parameter poses as an OAuth one (oauth_signature and realm stay out of the base
        // string; the header wins over a second oauth_token). A head over 16 KB never gets that far.
        const posing = c.params.some(([n]) => n.startsWith('oauth_') || n === 'realm');
        const code = codeOf(res.body);
        if (!posing && res.status !== 431) {
          assert.ok(code === undefined || ![32, 89, 135, 215].includes(code), `${what}: a correctly signed request was refused: ${res.body}`);
        }
      }
    }),
    { numRuns: FUZZ_RUNS, includeErrorInReport: true, seed: process.env.ROOST_FUZZ_SEED ? Number(process.env.ROOST_FUZZ_SEED) : undefined },
  );
  // The run reached past authentication: some answers were successes.
  const summary = [...seenStatus].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}: ${n}`).join(', ');
  t.diagnostic(`answers (status/code: count): ${summary}`);
  assert.ok((seenStatus.get('200') ?? 0) > 0, `no request succeeded: ${summary}`);
});

test('undecodable percent-encoding in the query or form body: 403/195', async () => {
  const alice = callers[0]!;
  const garbage = ['%zz', '%ff', '%', 'a%2', '%C3%28', '%E0%80%AF', '%ED%A0%80', 'user_id=%FF', 'screen_name=fz%G1bob', '%zz=1'];
  for (const e of V1_ENDPOINTS) {
    for (const g of garbage) {
      const path = v1Path(e);
      const method = e.methods[0]!;
      // unsigned: decoding fails before authentication is looked at
      let res = await raw(method, `${path}?${g}`);
      checkResponse(res.status, res.headers, res.body, `${method} ${path}?${g}`);
      assert.equal(res.status, 403, `${path}?${g}: ${res.body}`);
      assert.equal(codeOf(res.body), 195);
      // with a (necessarily unverifiable) OAuth header: the same
      res = await raw(method, `${path}?count=5&${g}`, { authorization: oauthHeader(alice, method, path, [['count', '5']]) });
      assert.equal(res.status, 403, `${path}?${g} signed: ${res.body}`);
      assert.equal(codeOf(res.body), 195);
      if (method === 'POST') {
        res = await raw(method, path, {
          authorization: oauthHeader(alice, method, path, []), 'content-type': 'application/x-www-form-urlencoded',
        }, `user_id=1&${g}`);
        checkResponse(res.status, res.headers, res.body, `${path} body ${g}`);
        assert.equal(res.status, 403, `${path} body ${g}: ${res.body}`);
        assert.equal(codeOf(res.body), 195);
      }
    }
  }
  // Sanity: the same garbage made valid decodes and goes on to authentication (400/215 unsigned).
  assert.equal(parseForm('%zz'), null);
  const ok = await raw('GET', '/1.1/users/show.json?screen_name=%25zz');
  assert.equal(ok.status, 400);
  assert.equal(codeOf(ok.body), 215);
});

test('a 1 MB body is refused with a 4xx JSON error, not a 5xx', async () => {
  const alice = callers[0]!;
  const big = 'screen_name=' + 'a'.repeat(1024 * 1024);
  for (const [path, type] of [
    ['/1.1/friendships/create.json', 'application/x-www-form-urlencoded'],
    ['/1.1/users/lookup.json', 'application/x-www-form-urlencoded'],
    ['/1.1/blocks/create.json', 'application/json'],
    ['/1.1/mutes/users/create.json', 'application/octet-stream'],
  ] as const) {
    const res = await raw('POST', path, { authorization: oauthHeader(alice, 'POST', path, []), 'content-type': type }, big);
    checkResponse(res.status, res.headers, res.body, `1 MB ${type} to ${path}`);
    assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status}`);
  }
});

test('garbage Authorization headers: 400/215', async () => {
  const values = [
    'OAuth', 'OAuth ', 'OAuth garbage', 'OAuth oauth_consumer_key', 'OAuth oauth_consumer_key=unquoted',
    'OAuth oauth_consumer_key="a", oauth_consumer_key="b"', 'OAuth ="x"', 'OAuth a="%zz"', 'OAuth a="b" c="d"',
    'OAuth oauth_consumer_key="x"', `OAuth oauth_consumer_key="${'k'.repeat(5000)}"`,
    'Basic Zm9vOmJhcg==', 'Digest username="x"', 'Token abc', 'Bearer', '   ', 'x', '"""', ',,,', 'OAuth ,',
    `OAuth ${'a="b", '.repeat(500)}`,
  ];
  for (const e of V1_ENDPOINTS) {
    for (const v of values) {
      const res = await raw(e.methods[0]!, `${v1Path(e)}?user_id=${userIds[1]}`, { authorization: v });
      checkResponse(res.status, res.headers, res.body, `${e.name} Authorization: ${v.slice(0, 40)}`);
      assert.equal(res.status, 400, `${e.name} Authorization: ${v.slice(0, 40)}: ${res.body}`);
      assert.equal(codeOf(res.body), 215);
    }
  }
});

test('after the fuzz, stored counts match the edges (recount finds no drift)', async () => {
  assert.deepEqual(await groupedDrift(h.dbLocation), []);
});
