// Every route roost serves (both endpoint tables, the OAuth token endpoints, the sign-in pages)
// fed requests generated from a grammar of Twitter parameters, most of them correctly signed so
// that they reach the handlers: roost never answers 5xx, and the API answers JSON.
//   ROOST_FUZZ_RUNS   requests to send (default 600: a few seconds; `npm run fuzz` sends 100,000)
//   ROOST_FUZZ_SEED   replay a reported seed
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import fc from 'fast-check';
import { issueOAuth2Tokens, KNOWN_SCOPES } from '../../src/auth/oauth2-tokens.js';
import { EXPANSIONS, TWEET_FIELDS } from '../../src/http/v2/query.js';
import { USER_FIELDS } from '../../src/wire/v2/user.js';
import { createToken } from '../../src/admin/accounts.js';
import { valueArb } from '../support/fuzz-grammar.js';
import { FUZZ_TARGETS, ODD_METHODS, type AuthMode, type FuzzTarget } from '../support/fuzz-targets.js';
import { groupedDrift } from '../support/recount.js';
import { startHarness, type Harness } from '../support/harness.js';
import { rawHttp } from '../support/raw-http.js';
import { authorizationHeader, basic, formOf, oauthParams, type Credentials } from '../support/sign.js';

const RUNS = Number(process.env.ROOST_FUZZ_RUNS ?? 600);

let h: Harness;
let agent: Agent;
let port: number;
const callers: { id: string; creds: Credentials }[] = [];
const known: string[] = [];
let userBearer = '';

before(async () => {
  h = await startHarness({
    follow: { followsPerDay: null, followsPerAppPerDay: null, followingCap: null, followingRatio: 1.1 },
  });
  port = Number(new URL(h.url).port);
  agent = new Agent({ keepAlive: true });
  const s = h.server.services;
  const alice = await h.user('fe_alice');
  const bob = await h.user('fe_bob');
  const carol = await h.user('fe_carol', { protected: true });
  const dave = await h.user('fe_dave');
  const erin = await h.user('fe_erin');
  await s.graph.follow({ userId: alice.user.id, appId: null }, bob.user.id, { notify: false });
  await s.graph.follow({ userId: bob.user.id, appId: null }, carol.user.id, { notify: false }); // a pending request
  await s.graph.setState(dave.user.id, 'suspended');
  await s.graph.setState(erin.user.id, 'deactivated');
  const ro = await createToken(s.store, s.clock, h.app, bob.user, 'read');
  const creds = (token: string, tokenSecret: string): Credentials =>
    ({ consumerKey: h.app.consumerKey, consumerSecret: h.app.consumerSecret, token, tokenSecret });
  for (const u of [alice, alice, alice, bob, carol, dave]) callers.push({ id: String(u.user.id), creds: creds(u.token, u.secret) });
  callers.push({ id: String(bob.user.id), creds: creds(ro.token, ro.secret) });
  for (const u of [alice, bob, carol, dave, erin]) known.push(String(u.user.id), u.user.screenName);
  userBearer = (await issueOAuth2Tokens(s.store, s.clock, h.app, alice.user, KNOWN_SCOPES)).access_token;
});

after(async () => {
  agent?.destroy();
  await h?.close();
});

// ---------------------------------------------------------------------------------------------

type BodyType = 'form' | 'json' | 'none' | 'garbage';
const GARBAGE_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', ''];

interface Case {
  target: FuzzTarget;
  method: string;
  auth: AuthMode;
  caller: number;
  pathValues: string[];
  params: [string, string][];
  inBody: boolean[];
  bodyType: BodyType;
  json: Record<string, unknown>;
  garbage: [string, string];
}

const EXTRA_NAMES = ['id', 'user_id', 'screen_name', 'cursor', 'count', 'max_results', 'pagination_token', 'user.fields', 'expansions',
  'tweet.fields', 'ids', 'usernames', 'query', 'next_token', 'oauth_token', 'oauth_callback', 'grant_type', 'client_id', 'callback', ''];
const FIELD_VALUES = ['id,name,username', 'public_metrics,protected,connection_status', 'pinned_tweet_id', 'foo', 'created_at,,', 'id'.repeat(300)];
/** Path segments as sent: raw, so that some are malformed percent-encoding or odd dots. */
const ODD_SEGMENTS = ['%zz', '%ED%A0%80', '%2F', '%00', '..', '.', '%20', '+', 'me', '-1', '0', '1e3', '%F0%9F%90%A6', 'a'.repeat(3000)];

const knownIds = () => known.filter((k) => /^\d+$/.test(k));
const knownNames = () => known.filter((k) => !/^\d+$/.test(k));
const listOf = (items: readonly string[]) => fc.subarray([...items], { minLength: 1 }).map((a) => a.join(','));

/** A value for the named parameter: usually one Twitter would accept there, otherwise anything from the grammar. */
function valueFor(name: string, values: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const fitting: Record<string, () => fc.Arbitrary<string>> = {
    max_results: () => fc.integer({ min: -5, max: 1200 }).map(String),
    count: () => fc.integer({ min: -5, max: 6000 }).map(String),
    'user.fields': () => listOf(USER_FIELDS),
    expansions: () => listOf(EXPANSIONS),
    'tweet.fields': () => listOf(TWEET_FIELDS),
    ids: () => listOf(knownIds()),
    user_id: () => listOf(knownIds()),
    usernames: () => listOf(knownNames()),
    screen_name: () => listOf(knownNames()),
    query: () => fc.constantFrom(...knownNames(), 'fe', 'zz'),
    q: () => fc.constantFrom(...knownNames(), 'fe', 'zz'),
  };
  const fit = Object.hasOwn(fitting, name) ? fitting[name] : undefined; // names like "valueOf" come up too
  return fc.oneof(
    ...(fit ? [{ weight: 6, arbitrary: fit() }] : []),
    { weight: 2, arbitrary: values },
    { weight: 1, arbitrary: fc.constantFrom(...FIELD_VALUES) },
  );
}

function caseArb(): fc.Arbitrary<Case> {
  const values = valueArb({ known });
  const idValue = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known.filter((k) => /^\d+$/.test(k))) },
    { weight: 3, arbitrary: values },
  );
  const segment = (callerId: string) => fc.oneof(
    { weight: 5, arbitrary: fc.constant(callerId) },
    { weight: 3, arbitrary: idValue.map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_SEGMENTS) },
  );
  return fc.constantFrom(...FUZZ_TARGETS).chain((target) => fc.nat({ max: callers.length - 1 }).chain((caller) => fc.record({
    target: fc.constant(target),
    method: fc.oneof({ weight: 12, arbitrary: fc.constant<string>(target.method) }, { weight: 1, arbitrary: fc.constantFrom<string>(...ODD_METHODS) }),
    auth: fc.constantFrom(...(target.destructive ? (['oauth1-badsig', 'none'] as const) : target.auth)),
    caller: fc.constant(caller),
    pathValues: fc.array(segment(callers[caller]!.id), { minLength: 2, maxLength: 2 }),
    params: fc.array(fc.oneof(
      // v2 refuses any parameter it does not know (400), so its own names come up more often there
      ...(target.params.length > 0 ? [{ weight: target.family === 'v2' ? 20 : 6, arbitrary: fc.constantFrom(...target.params) }] : []),
      { weight: 2, arbitrary: fc.constantFrom(...EXTRA_NAMES) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    ).chain((name) => valueFor(name, values).map((v): [string, string] => [name, v])), { maxLength: target.family === 'v2' ? 3 : 6 }),
    inBody: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    bodyType: fc.constantFrom<BodyType>(...(target.jsonKeys ? ['json', 'json', 'json', 'form', 'none', 'garbage'] as const : ['form', 'form', 'json', 'none', 'garbage'] as const)),
    json: fc.dictionary(
      fc.oneof(fc.constantFrom(...(target.jsonKeys ?? ['x'])), fc.string({ maxLength: 8 })),
      fc.oneof(idValue, fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(Number), fc.constant(null), fc.boolean(), fc.array(idValue, { maxLength: 3 }), fc.object({ maxDepth: 2 })),
      { maxKeys: 3 },
    ),
    garbage: fc.tuple(fc.constantFrom(...GARBAGE_TYPES), fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 }))),
  })));
}

const wellFormed = (x: string) => x.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

interface Built {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function build(c: Case): Built {
  let i = 0;
  const path = c.target.path.replace(/:[a-z_]+/g, () => c.pathValues[i++]!);
  const params = c.params.map(([n, v]) => [wellFormed(n), wellFormed(v)] as [string, string]);
  const carriesBody = c.method !== 'GET' && c.method !== 'HEAD';
  const query: [string, string][] = [];
  const form: [string, string][] = [];
  params.forEach((p, k) => (carriesBody && c.bodyType === 'form' && c.inBody[k] ? form : query).push(p));
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (carriesBody && c.bodyType === 'form') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = formOf(form);
  } else if (carriesBody && c.bodyType === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(c.json);
  } else if (carriesBody && c.bodyType === 'garbage') {
    if (c.garbage[0]) headers['content-type'] = c.garbage[0];
    body = c.garbage[1];
  }
  const qs = formOf(query);
  const sentPath = qs ? `${path}?${qs}` : path;
  const signedParams = [...query, ...(c.bodyType === 'form' ? form : [])];
  const signOver = (creds: Credentials) => authorizationHeader(oauthParams(creds, {
    method: c.method as 'GET' | 'POST', signedUrl: `http://127.0.0.1:${port}${path}`, params: signedParams,
  }));
  const me = callers[c.caller]!.creds;
  switch (c.auth) {
    case 'oauth1': headers.authorization = signOver(me); break;
    case 'oauth1-badsig': headers.authorization = signOver({ ...me, tokenSecret: `${me.tokenSecret}x` }); break;
    case 'oauth1-consumer': headers.authorization = signOver({ consumerKey: me.consumerKey, consumerSecret: me.consumerSecret }); break;
    case 'bearer-app': headers.authorization = `Bearer ${h.app.bearerToken}`; break;
    case 'bearer-user': headers.authorization = `Bearer ${userBearer}`; break;
    case 'basic-consumer': headers.authorization = basic(h.app.consumerKey, h.app.consumerSecret); break;
    case 'basic-client': headers.authorization = basic(h.app.clientId, h.app.clientSecret); break;
    case 'none': break;
  }
  return { method: c.method, path: sentPath, headers, body };
}

const describeCase = (b: Built, c: Case) => `${b.method} ${b.path.slice(0, 200)} [${c.auth}, ${c.bodyType}] ${(b.body ?? '').slice(0, 200)}`;

// ---------------------------------------------------------------------------------------------

test(`every route, ${RUNS} generated requests: never a 5xx, and the API always answers JSON`, async (t) => {
  const seen = new Map<string, number>();
  const started = Date.now();
  let sent = 0;
  // correctly signed API requests with the route's own method, and how many of them authentication refused
  const signed = { sent: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(caseArb(), async (c) => {
      const b = build(c);
      const res = await rawHttp(port, agent, b.method, b.path, b.headers, b.body);
      sent++;
      const what = describeCase(b, c);
      assert.ok(res.status >= 200 && res.status < 500, `${what}: status ${res.status} ${res.body.slice(0, 300)}`);
      const key = `${c.target.family} ${res.status}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      const api = c.target.family === 'v1' || c.target.family === 'v2';
      if (api && c.auth === 'oauth1' && c.method === c.target.method) {
        signed.sent++;
        if (res.status === 401) signed.refused++;
      }
      if (api && b.method !== 'HEAD') {
        assert.match(String(res.headers['content-type']), /^application\/(problem\+)?json/, `${what}: content-type`);
        assert.doesNotThrow(() => JSON.parse(res.body), `${what}: body is not JSON: ${res.body.slice(0, 200)}`);
      }
    }),
    { numRuns: RUNS, includeErrorInReport: true, seed: process.env.ROOST_FUZZ_SEED ? Number(process.env.ROOST_FUZZ_SEED) : undefined },
  );
  const seconds = (Date.now() - started) / 1000;
  const summary = [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}: ${n}`).join(', ');
  const reach = `${signed.sent - signed.refused} of ${signed.sent} correctly signed API requests got past authentication`;
  t.diagnostic(`${sent} requests in ${seconds.toFixed(1)} s; ${reach}; answers by family and status: ${summary}`);
  if (RUNS >= 10_000) console.log(`fuzz: ${sent} requests in ${seconds.toFixed(1)} s, no 5xx\nfuzz: ${reach}\nfuzz: answers by family and status: ${summary}`);
  // A parameter posing as an OAuth one (oauth_token, oauth_callback) or an odd path segment can
  // spoil a signature; the rest must reach the handlers, or the fuzz tests nothing behind them.
  assert.ok(signed.refused <= signed.sent * 0.1, reach);
  for (const family of ['v1', 'v2', 'oauth']) {
    assert.ok((seen.get(`${family} 200`) ?? 0) > 0, `no ${family} request succeeded: ${summary}`);
  }
});

test('after the fuzz, stored counts match the edges (recount finds no drift)', async () => {
  assert.deepEqual(await groupedDrift(h.dbLocation), []);
});

test('an undecodable body on POST /oauth/invalidate_token is 403/195, as on every v1.1 route', async () => {
  for (const path of ['/oauth/invalidate_token', '/1.1/oauth/invalidate_token.json']) {
    const res = await rawHttp(port, agent, 'POST', path, { 'content-type': 'application/x-www-form-urlencoded' }, 'a=%zz');
    assert.equal(res.status, 403, res.body);
    assert.equal(JSON.parse(res.body).errors[0].code, 195);
  }
});
