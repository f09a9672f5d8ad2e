// The sign-in flows below the browser: the token, revoke, request_token and access_token
// endpoints with every parameter transport and Twitter's exact error bodies, the authorize
// pages' refusals, CSRF and session handling. The pages are clicked through with a
// cookie-keeping fetch (PageAgent); test/http/pages/sign-in-browser.test.ts does the same in Chromium.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { AppRow, UserRow } from '../../../src/store/types.js';
import { startHarness, type Harness } from '../../support/harness.js';
import { assertV1Error } from '../../support/raw.js';
import { basic, send, sendSigned, signedRequest, type Credentials } from '../../support/sign.js';
import { appWithCallbacks, callbackServer, field, PageAgent, PASSWORD, userWithPassword, type CallbackServer } from '../../support/sign-in.js';

let h: Harness;
let cb: CallbackServer;
let web: AppRow; // confidential
let spa: AppRow; // public
let alice: UserRow;
let redirect: string;
let redirectWithQuery: string;

before(async () => {
  h = await startHarness();
  cb = await callbackServer();
  redirect = cb.url('/callback');
  redirectWithQuery = cb.url('/cb?tenant=a%20b&x=1');
  web = await appWithCallbacks(h, 'Web App', [redirect, redirectWithQuery]);
  spa = await appWithCallbacks(h, 'Single Page', [redirect], 'public');
  alice = await userWithPassword(h, 'alice', PASSWORD, 'Alice');
});
after(async () => {
  await cb.close();
  await h.close();
});

const pkce = (method: 'S256' | 'plain' = 'S256') => {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: method === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url') };
};

interface AuthorizeOptions {
  app?: AppRow;
  redirectUri?: string;
  scope?: string;
  state?: string | null;
  challenge?: string | null;
  method?: string | null;
  extra?: Record<string, string>;
}

function authorizeUrl(o: AuthorizeOptions = {}): string {
  const q = new URLSearchParams({ response_type: 'code', client_id: (o.app ?? web).clientId, redirect_uri: o.redirectUri ?? redirect,
    scope: o.scope ?? 'tweet.read users.read offline.access' });
  if (o.state !== null) q.set('state', o.state ?? 'state123');
  if (o.challenge !== null) q.set('code_challenge', o.challenge ?? pkce().challenge);
  if (o.method !== null) q.set('code_challenge_method', o.method ?? 's256');
  for (const [k, v] of Object.entries(o.extra ?? {})) q.set(k, v);
  return `/i/oauth2/authorize?${q}`;
}

/** Signs alice in, allows, and returns the code with what it is bound to. */
async function codeFor(o: AuthorizeOptions & { methodKind?: 'S256' | 'plain' } = {}) {
  const p = pkce(o.methodKind ?? 'S256');
  const agent = new PageAgent(h.url);
  const consent = await agent.signIn(authorizeUrl({ challenge: p.challenge, method: o.methodKind === 'plain' ? 'plain' : 's256', ...o }), 'alice');
  const res = await agent.decide(consent, 'allow');
  assert.equal(res.status, 302, res.text);
  const location = new URL(res.location!);
  return { code: location.searchParams.get('code')!, location, verifier: p.verifier, redirectUri: o.redirectUri ?? redirect };
}

type Params = Record<string, string>;
interface TokenCall {
  path?: string;
  auth?: string;
  form?: Params;
  json?: Params;
  query?: Params;
  emptyFormBody?: boolean;
}

function tokenCall(c: TokenCall) {
  const headers: Record<string, string> = {};
  if (c.auth) headers.authorization = c.auth;
  let body: string | undefined;
  if (c.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(c.form).toString();
  } else if (c.json) {
    headers['content-type'] = 'application/json;charset=UTF-8';
    body = JSON.stringify(c.json);
  } else if (c.emptyFormBody) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const qs = c.query ? `?${new URLSearchParams(c.query)}` : '';
  return send(`${h.url}${c.path ?? '/2/oauth2/token'}${qs}`, { method: 'POST', headers, body });
}

const webBasic = () => basic(web.clientId, web.clientSecret);
const INVALID_CODE = { error: 'invalid_request', error_description: 'Value passed for the authorization code was invalid.' };
const INVALID_TOKEN = { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' };
const NO_AUTH_HEADER = { error: 'unauthorized_client', error_description: 'Missing valid authorization header' };

const bearerVerify = (token: string) =>
  send(`${h.url}/1.1/account/verify_credentials.json`, { headers: { authorization: `Bearer ${token}` } });

describe('OAuth 2.0 token endpoint', () => {
  test('form, JSON and query-string transports all redeem a code; the answer has Twitter\'s keys in order', async () => {
    const calls: ((c: Awaited<ReturnType<typeof codeFor>>) => TokenCall)[] = [
      (c) => ({ auth: webBasic(), form: { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: c.redirectUri, client_id: web.clientId } }),
      (c) => ({ auth: webBasic(), json: { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: c.redirectUri, client_id: web.clientId, client_secret: web.clientSecret } }),
      (c) => ({ auth: webBasic(), emptyFormBody: true, query: { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: c.redirectUri, client_id: web.clientId } }),
    ];
    for (const call of calls) {
      const c = await codeFor();
      const r = await tokenCall(call(c));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get('content-type'), 'application/json;charset=utf-8');
      assert.match(r.headers.get('cache-control') ?? '', /no-store/);
      assert.deepEqual(Object.keys(r.json), ['token_type', 'expires_in', 'access_token', 'scope', 'refresh_token']);
      assert.equal(r.json.token_type, 'bearer');
      assert.equal(r.json.expires_in, 7200);
      assert.deepEqual(r.json.scope.split(' ').sort(), ['offline.access', 'tweet.read', 'users.read']);
      const caller = await h.server.services.auth.authenticate({ method: 'GET', authorization: `Bearer ${r.json.access_token}`, baseUrls: [], query: [], body: [] });
      assert.equal(caller.kind, 'oauth2-user');
      assert.equal(caller.kind === 'oauth2-user' && caller.user.id, alice.id);
      // v1.1 recognises the token but does not take it (§7.1): 403/220.
      assertV1Error(await bearerVerify(r.json.access_token), 403, 220);
    }
  });

  test('client authentication: confidential needs Basic; public needs client_id; exact bodies', async () => {
    const c = await codeFor();
    const params = { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: c.redirectUri, client_id: web.clientId };
    let r = await tokenCall({ form: params });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, NO_AUTH_HEADER);
    r = await tokenCall({ auth: basic(web.clientId, 'wrong'), form: params });
    assert.equal(r.status, 401);
    assert.equal(r.text, JSON.stringify(NO_AUTH_HEADER));
    r = await tokenCall({ auth: 'Bearer abc', form: params });
    assert.equal(r.status, 401);
    // Refusing the client did not spend the code.
    r = await tokenCall({ auth: webBasic(), form: params });
    assert.equal(r.status, 200, r.text);

    r = await tokenCall({ form: { grant_type: 'authorization_code', code: 'x', code_verifier: 'y', redirect_uri: redirect } });
    assert.equal(r.status, 400);
    assert.equal(r.text, '{"error":"invalid_request","error_description":"Missing required parameter [client_id]."}');
  });

  test('a public client redeems with client_id alone; missing code_verifier is named', async () => {
    const c = await codeFor({ app: spa });
    let r = await tokenCall({ form: { grant_type: 'authorization_code', code: c.code, redirect_uri: c.redirectUri, client_id: spa.clientId } });
    assert.equal(r.status, 400);
    assert.equal(r.text, '{"error":"invalid_request","error_description":"Missing required parameter [code_verifier]."}');
    r = await tokenCall({ form: { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: c.redirectUri, client_id: spa.clientId } });
    assert.equal(r.status, 200, r.text);
  });

  test('a code is bound to its client, redirect URI and verifier, and is single-use', async () => {
    const tries: ((c: Awaited<ReturnType<typeof codeFor>>) => TokenCall)[] = [
      (c) => ({ auth: webBasic(), form: { grant_type: 'authorization_code', code: c.code, code_verifier: pkce().verifier, redirect_uri: c.redirectUri } }),
      (c) => ({ auth: webBasic(), form: { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: redirectWithQuery } }),
      (c) => ({ form: { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: c.redirectUri, client_id: spa.clientId } }),
    ];
    for (const bad of tries) {
      const c = await codeFor();
      const r = await tokenCall(bad(c));
      assert.equal(r.status, 400, r.text);
      assert.deepEqual(r.json, INVALID_CODE);
      // The failed attempt spent the code: the right verifier is too late now.
      const again = await tokenCall({ auth: webBasic(), form: { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: c.redirectUri } });
      assert.deepEqual(again.json, INVALID_CODE);
    }
    const unknown = await tokenCall({ auth: webBasic(), form: { grant_type: 'authorization_code', code: 'nope', code_verifier: pkce().verifier, redirect_uri: redirect } });
    assert.deepEqual(unknown.json, INVALID_CODE);
  });

  test('a replayed code fails and revokes the tokens the first redemption issued', async () => {
    const c = await codeFor();
    const params = { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: c.redirectUri };
    const first = await tokenCall({ auth: webBasic(), form: params });
    assert.equal(first.status, 200);
    const replay = await tokenCall({ auth: webBasic(), form: params });
    assert.equal(replay.status, 400);
    assert.deepEqual(replay.json, INVALID_CODE);
    assertV1Error(await bearerVerify(first.json.access_token), 401, 89);
    const refresh = await tokenCall({ auth: webBasic(), form: { grant_type: 'refresh_token', refresh_token: first.json.refresh_token } });
    assert.deepEqual(refresh.json, INVALID_TOKEN);
  });

  test('plain and missing challenge methods; S256 in either case', async () => {
    for (const [methodKind, method] of [['plain', 'plain'], ['plain', null], ['S256', 'S256'], ['S256', 's256']] as const) {
      const c = await codeFor({ methodKind, method });
      const r = await tokenCall({ auth: webBasic(), form: { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: c.redirectUri } });
      assert.equal(r.status, 200, `${method}: ${r.text}`);
    }
  });

  test('no refresh token without offline.access', async () => {
    const c = await codeFor({ scope: 'tweet.read users.read' });
    const r = await tokenCall({ auth: webBasic(), form: { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: c.redirectUri } });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['token_type', 'expires_in', 'access_token', 'scope']);
    assert.equal(r.json.scope, 'tweet.read users.read');
  });

  test('refresh tokens rotate and are single-use; the query-string transport works for refresh and revoke', async () => {
    const c = await codeFor();
    const first = await tokenCall({ auth: webBasic(), form: { grant_type: 'authorization_code', code: c.code, code_verifier: c.verifier, redirect_uri: c.redirectUri } });
    const second = await tokenCall({ auth: webBasic(), emptyFormBody: true, query: { grant_type: 'refresh_token', refresh_token: first.json.refresh_token, client_id: web.clientId } });
    assert.equal(second.status, 200, second.text);
    assert.notEqual(second.json.refresh_token, first.json.refresh_token);
    assert.notEqual(second.json.access_token, first.json.access_token);
    assert.equal(second.json.scope, first.json.scope);
    // (Reusing the first refresh token revokes the family: test/e2e/oauth2-token-family.test.ts.)
    // Another client cannot use it.
    const foreign = await tokenCall({ form: { grant_type: 'refresh_token', refresh_token: second.json.refresh_token, client_id: spa.clientId } });
    assert.deepEqual(foreign.json, INVALID_TOKEN);

    const revoked = await tokenCall({ path: '/2/oauth2/revoke', auth: webBasic(), emptyFormBody: true, query: { token: second.json.access_token, token_type_hint: 'access_token', client_id: web.clientId } });
    assert.equal(revoked.status, 200);
    assert.equal(revoked.text, '{"revoked":true}');
    assertV1Error(await bearerVerify(second.json.access_token), 401, 89);
    // Revoking one token leaves the other.
    const third = await tokenCall({ auth: webBasic(), form: { grant_type: 'refresh_token', refresh_token: second.json.refresh_token } });
    assert.equal(third.status, 200, third.text);
    const revokeRefresh = await tokenCall({ path: '/2/oauth2/revoke', auth: webBasic(), json: { token: third.json.refresh_token, token_type_hint: 'refresh_token' } });
    assert.equal(revokeRefresh.text, '{"revoked":true}');
    const dead = await tokenCall({ auth: webBasic(), form: { grant_type: 'refresh_token', refresh_token: third.json.refresh_token } });
    assert.deepEqual(dead.json, INVALID_TOKEN);
    const reused = await tokenCall({ auth: webBasic(), json: { grant_type: 'refresh_token', refresh_token: first.json.refresh_token } });
    assert.equal(reused.status, 400);
    assert.deepEqual(reused.json, INVALID_TOKEN);
  });

  test('grant_type and token are required; other grants are refused', async () => {
    let r = await tokenCall({ auth: webBasic(), form: { code: 'x' } });
    assert.equal(r.text, '{"error":"invalid_request","error_description":"Missing required parameter [grant_type]."}');
    r = await tokenCall({ auth: webBasic(), form: { grant_type: 'password' } });
    assert.equal(r.status, 400);
    assert.equal(r.json.error, 'unsupported_grant_type');
    r = await tokenCall({ path: '/2/oauth2/revoke', auth: webBasic(), form: {} });
    assert.equal(r.text, '{"error":"invalid_request","error_description":"Missing required parameter [token]."}');
  });
});

describe('OAuth 2.0 authorize page', () => {
  test('allow: 302 to the registered URI with state untouched and its own query kept', async () => {
    const state = 'a b+c&d=e/é%20"<x>' + 'z'.repeat(480);
    const c = await codeFor({ redirectUri: redirectWithQuery, state });
    assert.ok(c.location.href.startsWith(`${redirectWithQuery}&state=`), c.location.href);
    assert.equal(c.location.searchParams.get('state'), state);
    assert.equal(c.location.searchParams.get('tenant'), 'a b');
    assert.match(c.code, /^[A-Za-z0-9]{40,}$/);
  });

  test('cancel: error=access_denied with the state', async () => {
    const agent = new PageAgent(h.url);
    const consent = await agent.signIn(authorizeUrl({ state: 'keep me' }), 'alice');
    const res = await agent.decide(consent, 'cancel');
    assert.equal(res.status, 302);
    assert.equal(res.location, `${redirect}?error=access_denied&state=keep%20me`);
  });

  test('bad requests get an HTML error page with status 400 and no redirect', async () => {
    const cases: [string, RegExp][] = [
      [authorizeUrl({ app: { ...web, clientId: 'unknown' } }), /does not know the application/],
      [authorizeUrl({ redirectUri: 'https://evil.example/callback' }), /not registered/],
      [authorizeUrl({ redirectUri: `${redirect}/` }), /not registered/],
      [authorizeUrl({ redirectUri: `${redirect}?x=1` }), /not registered/],
      [authorizeUrl({ extra: { response_type: 'token' } }), /response_type must be code/],
      [authorizeUrl({ scope: 'tweet.read bogus.scope' }), /unknown scope bogus\.scope/],
      [authorizeUrl({ scope: '' }), /scope is missing/],
      [authorizeUrl({ state: null }), /state is missing/],
      [authorizeUrl({ state: 's'.repeat(501) }), /longer than 500/],
      [authorizeUrl({ challenge: null }), /code_challenge is missing/],
      [authorizeUrl({ challenge: 'short' }), /code_challenge must be/],
      [authorizeUrl({ method: 'S512' }), /code_challenge_method must be/],
      [`${authorizeUrl()}&redirect_uri=${encodeURIComponent('https://evil.example/')}`, /not registered/],
    ];
    for (const [url, message] of cases) {
      const r = await new PageAgent(h.url).request(url);
      assert.equal(r.status, 400, url);
      assert.equal(r.location, null);
      assert.match(r.headers.get('content-type')!, /^text\/html/);
      assert.match(r.text, /<h1>Something went wrong<\/h1>/);
      assert.match(r.text, message, url);
    }
  });

  test('/2/oauth2/authorize serves the same page', async () => {
    const agent = new PageAgent(h.url);
    const consent = await agent.signIn(authorizeUrl().replace('/i/oauth2/', '/2/oauth2/'), 'alice');
    assert.match(consent.text, /Authorize Web App to use your account\?/);
  });

  test('a consent form is answered once', async () => {
    const agent = new PageAgent(h.url);
    const consent = await agent.signIn(authorizeUrl(), 'alice');
    assert.equal((await agent.decide(consent, 'allow')).status, 302);
    const again = await agent.decide(consent, 'allow');
    assert.equal(again.status, 400);
    assert.equal(again.location, null);
  });
});

describe('sessions and CSRF', () => {
  test('sign-in: no session, no token or a wrong token is a 403 page; a wrong password re-shows the form', async () => {
    const agent = new PageAgent(h.url);
    const page = await agent.request(authorizeUrl());
    const setCookie = page.headers.get('set-cookie')!;
    assert.match(setCookie, /^roost_session=[A-Za-z0-9]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=1800$/);
    const form = { csrf_token: field(page.text, 'csrf_token'), return_to: field(page.text, 'return_to'), screen_name: 'alice', password: PASSWORD };

    const noCookie = await new PageAgent(h.url).request('/i/sign-in', form);
    assert.equal(noCookie.status, 403);
    assert.match(noCookie.text, /<h1>This form has expired<\/h1>/);
    assert.equal((await agent.request('/i/sign-in', { ...form, csrf_token: '' })).status, 403);
    assert.equal((await agent.request('/i/sign-in', { ...form, csrf_token: form.csrf_token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) })).status, 403);
    // A token for another return address (the token is bound to the form's target).
    assert.equal((await agent.request('/i/sign-in', { ...form, return_to: authorizeUrl({ state: 'other' }) })).status, 403);
    // Another session's token.
    const other = new PageAgent(h.url);
    await other.request(authorizeUrl());
    assert.equal((await other.request('/i/sign-in', form)).status, 403);

    const wrong = await agent.request('/i/sign-in', { ...form, password: 'wrong password' });
    assert.equal(wrong.status, 200);
    assert.equal(wrong.location, null);
    assert.match(wrong.text, /role="alert">The screen name and password you entered did not match our records/);
    assert.match(wrong.text, /name="screen_name" value="alice"/);
    const unknownUser = await agent.request('/i/sign-in', { ...form, screen_name: 'nobody' });
    assert.match(unknownUser.text, /did not match our records/);

    const ok = await agent.request('/i/sign-in', form);
    assert.equal(ok.status, 303);
    assert.equal(ok.location, form.return_to);
    // Signing in replaces the session id.
    assert.notEqual(ok.headers.get('set-cookie')!.split(';')[0], setCookie.split(';')[0]);
  });

  test('consent forms: wrong token or another session is a 403 page and nothing is issued', async () => {
    const agent = new PageAgent(h.url);
    const consent = await agent.signIn(authorizeUrl(), 'alice');
    const request = field(consent.text, 'request');
    const bad = await agent.request('/i/oauth2/authorize', { request, decision: 'allow', csrf_token: 'forged' });
    assert.equal(bad.status, 403);
    assert.equal(bad.location, null);
    const stranger = new PageAgent(h.url);
    const stolen = await stranger.request('/i/oauth2/authorize', { request, decision: 'allow', csrf_token: field(consent.text, 'csrf_token') });
    assert.equal(stolen.status, 403);
    // The real answer still works.
    assert.equal((await agent.decide(consent, 'allow')).status, 302);

    const oauth1 = await agent.request('/oauth/authorize', { oauth_token: 'x', decision: 'allow', csrf_token: 'forged' });
    assert.equal(oauth1.status, 403);
  });

  test('the sign-in form refuses return addresses that are not authorize pages', async () => {
    const agent = new PageAgent(h.url);
    const page = await agent.request(authorizeUrl());
    // A return address signed for this session but pointing elsewhere is not followed.
    const { csrfToken } = await import('../../../src/http/pages/session.js');
    const secret = agent.cookie.split('=')[1]!; // an anonymous session's CSRF secret is its cookie
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/i/oauth2/authorize', '/oauth/authorize?oauth_token=nope']) {
      const csrf = csrfToken({ id: '', userId: null, csrfSecret: secret }, 'sign-in', returnTo);
      const r = await agent.request('/i/sign-in', { csrf_token: csrf, return_to: returnTo, screen_name: 'alice', password: PASSWORD });
      assert.equal(r.status, 400, returnTo);
      assert.equal(r.location, null);
    }
    assert.ok(page.text.includes('Sign in to roost'));
  });
});

describe('OAuth 1.0a request_token and access_token', () => {
  const consumer = (app: AppRow = web): Credentials => ({ consumerKey: app.consumerKey, consumerSecret: app.consumerSecret });
  const requestToken = (form: [string, string][], app: AppRow = web) =>
    sendSigned(signedRequest(consumer(app), { method: 'POST', origin: h.url, path: '/oauth/request_token', form }));
  const accessToken = (token: string, secret: string, form: [string, string][]) =>
    sendSigned(signedRequest({ ...consumer(), token, tokenSecret: secret }, { method: 'POST', origin: h.url, path: '/oauth/access_token', form }));

  test('request_token: a form-encoded answer; oob by default; unregistered callbacks get the 415 XML', async () => {
    const r = await requestToken([['oauth_callback', redirect]]);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('content-type'), 'application/x-www-form-urlencoded');
    assert.match(r.text, /^oauth_token=[A-Za-z0-9]+&oauth_token_secret=[A-Za-z0-9]+&oauth_callback_confirmed=true$/);

    const oob = await requestToken([]);
    assert.equal(oob.status, 200);
    const token = new URLSearchParams(oob.text).get('oauth_token')!;
    const stored = await h.server.services.singleUse.get(`oauth1-request:${token}`);
    assert.equal(JSON.parse(stored!).callback, 'oob');

    const refused = await requestToken([['oauth_callback', 'https://evil.example/callback']]);
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('content-type'), 'application/xml;charset=utf-8');
    assert.equal(refused.text, '<?xml version="1.0" encoding="UTF-8"?>\n<errors>\n  <error code="415">Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings</error>\n</errors>\n');

    const badSignature = await sendSigned(signedRequest({ consumerKey: web.consumerKey, consumerSecret: 'wrong' },
      { method: 'POST', origin: h.url, path: '/oauth/request_token', form: [['oauth_callback', 'oob']] }));
    assertV1Error(badSignature, 401, 32, 'Could not authenticate you.');
  });

  test('access_token: Twitter\'s plain-text 401s for a missing or wrong verifier and an unknown token', async () => {
    const rt = new URLSearchParams((await requestToken([['oauth_callback', 'oob']])).text);
    const token = rt.get('oauth_token')!;
    const secret = rt.get('oauth_token_secret')!;
    // Not yet approved: no verifier can be right.
    let r = await accessToken(token, secret, [['oauth_verifier', '1234567']]);
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('content-type'), 'text/plain;charset=utf-8');
    assert.equal(r.text, 'Error processing your OAuth request: Invalid oauth_verifier parameter');

    const agent = new PageAgent(h.url);
    const consent = await agent.signIn(`/oauth/authorize?oauth_token=${token}`, 'alice');
    const pinPage = await agent.decide(consent, 'allow');
    const pin = /<code id="oauth_pin">(\d{7})<\/code>/.exec(pinPage.text)![1]!;

    r = await accessToken(token, secret, []);
    assert.equal(r.text, 'Error processing your OAuth request: Invalid oauth_verifier parameter');
    r = await accessToken(token, secret, [['oauth_verifier', pin === '0000000' ? '0000001' : '0000000']]);
    assert.equal(r.text, 'Error processing your OAuth request: Invalid oauth_verifier parameter');
    r = await accessToken(token, 'wrong secret', [['oauth_verifier', pin]]);
    assertV1Error(r, 401, 32);
    r = await accessToken(token, secret, [['oauth_verifier', pin]]);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('content-type'), 'application/x-www-form-urlencoded');
    const granted = new URLSearchParams(r.text);
    assert.deepEqual([...granted.keys()], ['oauth_token', 'oauth_token_secret', 'user_id', 'screen_name']);
    assert.equal(granted.get('user_id'), alice.id.toString());
    assert.equal(granted.get('screen_name'), 'alice');
    assert.ok(granted.get('oauth_token')!.startsWith(`${alice.id}-`));

    // Used: the request token is gone.
    r = await accessToken(token, secret, [['oauth_verifier', pin]]);
    assert.equal(r.status, 401);
    assert.equal(r.text, 'Invalid request token.');
    r = await accessToken('unknown', 'x', [['oauth_verifier', pin]]);
    assert.equal(r.text, 'Invalid request token.');
  });

  test('x_auth_access_type=read gives a read-only token: POSTs get the legacy 401', async () => {
    const rt = new URLSearchParams((await requestToken([['oauth_callback', redirect], ['x_auth_access_type', 'read']])).text);
    const agent = new PageAgent(h.url);
    const consent = await agent.signIn(`/oauth/authorize?oauth_token=${rt.get('oauth_token')}`, 'alice');
    assert.match(consent.text, /See your profile/);
    assert.doesNotMatch(consent.text, /Follow, unfollow/);
    const back = new URL((await agent.decide(consent, 'allow')).location!);
    const r = await accessToken(rt.get('oauth_token')!, rt.get('oauth_token_secret')!, [['oauth_verifier', back.searchParams.get('oauth_verifier')!]]);
    const granted = new URLSearchParams(r.text);
    const creds = { ...consumer(), token: granted.get('oauth_token')!, tokenSecret: granted.get('oauth_token_secret')! };
    const follow = await sendSigned(signedRequest(creds, { method: 'POST', origin: h.url, path: '/1.1/friendships/create.json', form: [['screen_name', 'alice']] }));
    assert.equal(follow.status, 401);
    assert.deepEqual(follow.json, { request: '/1.1/friendships/create.json', error: 'Read-only application cannot POST.' });
  });

  test('authorize with an unknown or used request token: a 400 page, never a redirect', async () => {
    for (const url of ['/oauth/authorize?oauth_token=nope', '/oauth/authenticate?oauth_token=', '/oauth/authorize']) {
      const r = await new PageAgent(h.url).request(url);
      assert.equal(r.status, 400);
      assert.equal(r.location, null);
      assert.match(r.text, /<h1>Something went wrong<\/h1>/);
    }
  });
});
