// Both sign-in flows end to end in headless Chromium: a real client library (twitter-api-v2)
// starts the flow, the browser signs in on roost's pages and clicks Allow or Cancel, a local web
// app receives the callback, and the client trades what it got for tokens and calls the API.
// Also: the pages' accessibility basics, security headers, CSRF, escaping, and that they load
// nothing from anywhere else.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ApiResponseError, type TwitterApi } from 'twitter-api-v2';
import type { AppRow, UserRow } from '../../../src/store/types.js';
import { BROWSER_SKIP, launchBrowser, type BrowserPage, type TestBrowser } from '../../support/browser.js';
import { startHarness, type Harness } from '../../support/harness.js';
import { appWithCallbacks, callbackServer, clientFor, onServer, PASSWORD, userWithPassword, type CallbackServer } from '../../support/sign-in.js';

let h: Harness;
let cb: CallbackServer;
let browser: TestBrowser;
let web: AppRow; // confidential OAuth 2.0 client, also the OAuth 1.0a consumer
let spa: AppRow; // public OAuth 2.0 client
let alice: UserRow;
let redirect: string;
const SCOPES = ['tweet.read', 'users.read', 'follows.read', 'offline.access'];

before(async () => {
  if (BROWSER_SKIP) return;
  // Settled one by one, so a browser that cannot start fails the file instead of leaving the
  // servers open (and the runner waiting on them).
  const [hs, cbs, bs] = await Promise.allSettled([startHarness(), callbackServer(), launchBrowser()]);
  if (hs.status === 'fulfilled') h = hs.value;
  if (cbs.status === 'fulfilled') cb = cbs.value;
  if (bs.status === 'fulfilled') browser = bs.value;
  for (const r of [hs, cbs, bs]) if (r.status === 'rejected') throw r.reason;
  redirect = cb.url('/callback');
  web = await appWithCallbacks(h, 'Web App', [redirect]);
  spa = await appWithCallbacks(h, 'Single Page', [redirect], 'public');
  alice = await userWithPassword(h, 'alice', PASSWORD, 'Alice Liddell');
});
after(async () => {
  await browser?.close();
  await cb?.close();
  await h?.close();
});

async function signIn(page: Page, screenName: string, password: string): Promise<void> {
  await page.getByLabel('Screen name').fill(screenName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Clicks a button that leaves roost for the client's callback; returns the callback URL. */
async function clickToCallback(page: Page, button: 'Allow' | 'Cancel'): Promise<URL> {
  const hit = cb.next();
  await page.getByRole('button', { name: button }).click();
  const url = await hit;
  await page.waitForURL(`${cb.origin}/**`);
  return url;
}

/** Every request the page made went to roost or to the client's own callback. */
function assertNoExternalRequests(bp: BrowserPage): void {
  const allowed = [new URL(h.url).origin, cb.origin];
  assert.ok(bp.requests.length > 0);
  for (const url of bp.requests) assert.ok(allowed.includes(new URL(url).origin), `request to ${url}`);
}

async function apiError(promise: Promise<unknown>): Promise<ApiResponseError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiResponseError, String(err));
    return err;
  }
  assert.fail('the call succeeded');
}

const INVALID_CODE = { error: 'invalid_request', error_description: 'Value passed for the authorization code was invalid.' };
const INVALID_TOKEN = { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' };

/** A 400 RFC 6749 error body (twitter-api-v2 adds an `errors` array of its own to what it parsed). */
function assertOAuth2Error(err: ApiResponseError, expected: { error: string; error_description: string }): void {
  assert.equal(err.code, 400);
  const data = err.data as unknown as Record<string, unknown>;
  assert.deepEqual({ error: data.error, error_description: data.error_description }, expected);
}

/** An OAuth 2.0 user token is one roost accepts (Authenticator) and v1.1 refuses with 403/220. */
async function assertOAuth2Token(client: TwitterApi, accessToken: string, live: boolean): Promise<void> {
  const auth = h.server.services.auth;
  const check = auth.authenticate({ method: 'GET', authorization: `Bearer ${accessToken}`, baseUrls: [], query: [], body: [] });
  if (!live) {
    await assert.rejects(check, (e: Error) => e.message === 'invalid-token');
    return;
  }
  const caller = await check;
  assert.equal(caller.kind, 'oauth2-user');
  assert.equal(caller.kind === 'oauth2-user' && caller.user.id, alice.id);
  const v1 = await apiError(client.v1.verifyCredentials());
  assert.equal(v1.code, 403);
  assert.equal(v1.data.errors?.[0] && 'code' in v1.data.errors[0] ? v1.data.errors[0].code : undefined, 220);
}

/** Signs alice in through an authorize URL built by twitter-api-v2 and clicks Allow. */
async function codeThroughBrowser(client: TwitterApi, bp?: BrowserPage) {
  const link = client.generateOAuth2AuthLink(redirect, { scope: SCOPES });
  const { page } = bp ?? await browser.fresh();
  await page.goto(onServer(h, link.url));
  await signIn(page, 'alice', PASSWORD);
  const back = await clickToCallback(page, 'Allow');
  assert.equal(back.searchParams.get('state'), link.state);
  return { code: back.searchParams.get('code')!, link };
}

describe('OAuth 2.0 Authorization Code with PKCE, in Chromium', { skip: BROWSER_SKIP }, () => {
  test('sign in, Allow, tokens for the client; it calls the API, refreshes and revokes', async () => {
    const client = clientFor(h, { clientId: web.clientId, clientSecret: web.clientSecret });
    const link = client.generateOAuth2AuthLink(redirect, { scope: SCOPES });
    const bp = await browser.fresh();
    const { page } = bp;
    await page.goto(onServer(h, link.url));
    assert.equal(await page.locator('h1').textContent(), 'Sign in to roost');
    await signIn(page, 'alice', PASSWORD);

    await page.waitForURL(/\/i\/oauth2\/authorize\?/);
    assert.equal(await page.locator('h1').textContent(), 'Authorize Web App to use your account?');
    assert.match(await page.locator('main').textContent() ?? '', /signed in as @alice \(Alice Liddell\)/);
    const access = await page.locator('main li').allTextContents();
    assert.deepEqual(access, [
      'Read posts you can see, including those of protected accounts you follow.',
      'Read any account you can see, including protected accounts you follow.',
      'See who you follow and who follows you.',
      'Stay connected to your account until you revoke access.',
    ]);

    const back = await clickToCallback(page, 'Allow');
    assert.equal(back.pathname, '/callback');
    assert.equal(back.searchParams.get('state'), link.state);
    const code = back.searchParams.get('code')!;

    const login = await client.loginWithOAuth2({ code, codeVerifier: link.codeVerifier, redirectUri: redirect });
    assert.equal(login.expiresIn, 7200);
    assert.deepEqual([...login.scope].sort(), [...SCOPES].sort());
    assert.ok(login.refreshToken);
    await assertOAuth2Token(login.client, login.accessToken, true);
    if (h.server.app.hasRoute({ method: 'GET', url: '/2/users/me' })) {
      const me = await login.client.v2.me();
      assert.equal(me.data.username, 'alice');
      assert.equal(me.data.id, alice.id.toString());
    }

    const refreshed = await client.refreshOAuth2Token(login.refreshToken);
    assert.notEqual(refreshed.refreshToken, login.refreshToken);
    assert.notEqual(refreshed.accessToken, login.accessToken);
    await assertOAuth2Token(refreshed.client, refreshed.accessToken, true);
    const reused = await apiError(client.refreshOAuth2Token(login.refreshToken));
    assert.equal(reused.code, 400);
    assertOAuth2Error(reused, INVALID_TOKEN);

    assert.deepEqual(await client.revokeOAuth2Token(refreshed.accessToken, 'access_token'), { revoked: true });
    await assertOAuth2Token(refreshed.client, refreshed.accessToken, false);
    assertNoExternalRequests(bp);
  });

  test('a public client: client_id only; a bad PKCE verifier fails and spends the code', async () => {
    const client = clientFor(h, { clientId: spa.clientId });
    const { code, link } = await codeThroughBrowser(client);
    const wrongVerifier = link.codeVerifier.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    const bad = await apiError(client.loginWithOAuth2({ code, codeVerifier: wrongVerifier, redirectUri: redirect }));
    assert.equal(bad.code, 400);
    assertOAuth2Error(bad, INVALID_CODE);
    const late = await apiError(client.loginWithOAuth2({ code, codeVerifier: link.codeVerifier, redirectUri: redirect }));
    assertOAuth2Error(late, INVALID_CODE);

    const again = await codeThroughBrowser(client);
    const ok = await client.loginWithOAuth2({ code: again.code, codeVerifier: again.link.codeVerifier, redirectUri: redirect });
    await assertOAuth2Token(ok.client, ok.accessToken, true);
  });

  test('a reused code fails, and the tokens it bought are revoked', async () => {
    const client = clientFor(h, { clientId: web.clientId, clientSecret: web.clientSecret });
    const { code, link } = await codeThroughBrowser(client);
    const first = await client.loginWithOAuth2({ code, codeVerifier: link.codeVerifier, redirectUri: redirect });
    await assertOAuth2Token(first.client, first.accessToken, true);
    const second = await apiError(client.loginWithOAuth2({ code, codeVerifier: link.codeVerifier, redirectUri: redirect }));
    assert.equal(second.code, 400);
    assertOAuth2Error(second, INVALID_CODE);
    await assertOAuth2Token(first.client, first.accessToken, false);
  });

  test('Cancel sends the browser back with error=access_denied and the state', async () => {
    const client = clientFor(h, { clientId: web.clientId, clientSecret: web.clientSecret });
    const link = client.generateOAuth2AuthLink(redirect, { scope: SCOPES, state: 'opaque state / with + signs' });
    const { page } = await browser.fresh();
    await page.goto(onServer(h, link.url));
    await signIn(page, 'alice', PASSWORD);
    const back = await clickToCallback(page, 'Cancel');
    assert.equal(back.search, '?error=access_denied&state=opaque%20state%20%2F%20with%20%2B%20signs');
    assert.equal(back.searchParams.get('code'), null);
  });

  test('a wrong password: the form shows an error and nothing leaves roost', async () => {
    const client = clientFor(h, { clientId: web.clientId, clientSecret: web.clientSecret });
    const link = client.generateOAuth2AuthLink(redirect, { scope: SCOPES });
    const bp = await browser.fresh();
    const { page } = bp;
    await page.goto(onServer(h, link.url));
    const hitsBefore = cb.hits.length;
    await signIn(page, 'alice', 'not the password');
    await page.waitForURL(`${h.url}/i/sign-in`);
    const alert = page.getByRole('alert');
    assert.equal(await alert.textContent(), 'The screen name and password you entered did not match our records. Please try again.');
    assert.equal(await page.getByLabel('Screen name').inputValue(), 'alice');
    assert.equal(await page.getByLabel('Password').getAttribute('aria-describedby'), 'sign-in-error');
    assert.equal(await page.getByLabel('Password').inputValue(), '');
    assert.equal(cb.hits.length, hitsBefore);
    // The same form, with the right password, goes on to the consent page.
    await signIn(page, 'alice', PASSWORD);
    await page.waitForURL(/\/i\/oauth2\/authorize\?/);
    assert.equal(await page.locator('h1').textContent(), 'Authorize Web App to use your account?');
    assertNoExternalRequests(bp);
  });

  test('a foreign redirect_uri: an error page, status 400, no redirect', async () => {
    const client = clientFor(h, { clientId: web.clientId, clientSecret: web.clientSecret });
    const link = client.generateOAuth2AuthLink('https://evil.example/callback', { scope: SCOPES });
    const bp = await browser.fresh();
    const response = await bp.page.goto(onServer(h, link.url));
    assert.equal(response!.status(), 400);
    assert.equal(bp.page.url(), onServer(h, link.url));
    assert.equal(await bp.page.locator('h1').textContent(), 'Something went wrong');
    assert.match(await bp.page.locator('main p').textContent() ?? '', /not registered/);
    assert.deepEqual(bp.requests.map((u) => new URL(u).origin), [new URL(h.url).origin]);
  });
});

describe('OAuth 1.0a three-legged, in Chromium', { skip: BROWSER_SKIP }, () => {
  const consumer = () => clientFor(h, { appKey: web.consumerKey, appSecret: web.consumerSecret });
  const withRequestToken = (t: { oauth_token: string; oauth_token_secret: string }) =>
    clientFor(h, { appKey: web.consumerKey, appSecret: web.consumerSecret, accessToken: t.oauth_token, accessSecret: t.oauth_token_secret });

  test('generateAuthLink, sign in, Allow, login; verify_credentials; authenticate skips consent next time; no replay', async () => {
    const link = await consumer().generateAuthLink(redirect);
    assert.equal(link.oauth_callback_confirmed, 'true');
    assert.match(link.url, /^https:\/\/api\.x\.com\/oauth\/authenticate\?oauth_token=/);
    const bp = await browser.fresh();
    const { page } = bp;
    await page.goto(onServer(h, link.url));
    await signIn(page, 'alice', PASSWORD);
    await page.waitForURL(/\/oauth\/authenticate\?/);
    assert.equal(await page.locator('h1').textContent(), 'Authorize Web App to use your account?');
    assert.ok((await page.locator('main li').allTextContents()).includes('Follow, unfollow, mute, unmute, block and unblock accounts for you.'));
    const back = await clickToCallback(page, 'Allow');
    assert.equal(back.searchParams.get('oauth_token'), link.oauth_token);
    const verifier = back.searchParams.get('oauth_verifier')!;

    const requestClient = withRequestToken(link);
    const login = await requestClient.login(verifier);
    assert.equal(login.userId, alice.id.toString());
    assert.equal(login.screenName, 'alice');
    assert.ok(login.accessToken.startsWith(`${alice.id}-`));
    const me = await login.client.v1.verifyCredentials();
    assert.equal(me.screen_name, 'alice');
    assert.equal(me.id_str, alice.id.toString());

    // The request token is spent.
    const replay = await apiError(requestClient.login(verifier));
    assert.equal(replay.code, 401);
    assert.deepEqual(Object.keys(replay.data as object), ['Invalid request token.']);

    // Sign in with Twitter, again: already authorised, so straight back to the app.
    const link2 = await consumer().generateAuthLink(redirect);
    const hit = cb.next();
    await page.goto(onServer(h, link2.url));
    const back2 = await hit;
    await page.waitForURL(`${cb.origin}/**`);
    assert.equal(back2.searchParams.get('oauth_token'), link2.oauth_token);
    const login2 = await withRequestToken(link2).login(back2.searchParams.get('oauth_verifier')!);
    assert.equal(login2.accessToken, login.accessToken, 'one token per app, user and level');
    assertNoExternalRequests(bp);
  });

  test('Cancel: back to the app with denied=<request token>, which is dead', async () => {
    const link = await consumer().generateAuthLink(redirect, { linkMode: 'authorize' });
    const { page } = await browser.fresh();
    await page.goto(onServer(h, link.url));
    await signIn(page, 'alice', PASSWORD);
    const back = await clickToCallback(page, 'Cancel');
    assert.equal(back.search, `?denied=${link.oauth_token}`);
    const err = await apiError(withRequestToken(link).login('anything'));
    assert.equal(err.code, 401);
    assert.deepEqual(Object.keys(err.data as object), ['Invalid request token.']);
  });

  test('oob: a PIN page, then login with the PIN', async () => {
    const link = await consumer().generateAuthLink('oob', { linkMode: 'authorize' });
    const bp = await browser.fresh();
    const { page } = bp;
    await page.goto(onServer(h, link.url));
    await signIn(page, 'alice', PASSWORD);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${h.url}/oauth/authorize`);
    assert.equal(await page.locator('h1').textContent(), 'You authorized Web App');
    const pin = (await page.locator('#oauth_pin').textContent())!;
    assert.match(pin, /^\d{7}$/);

    const requestClient = withRequestToken(link);
    const wrong = await apiError(requestClient.login(pin === '0000000' ? '0000001' : '0000000'));
    assert.equal(wrong.code, 401);
    assert.deepEqual(Object.keys(wrong.data as object), ['Error processing your OAuth request: Invalid oauth_verifier parameter']);
    const login = await requestClient.login(pin);
    assert.equal((await login.client.v1.verifyCredentials()).screen_name, 'alice');
    assertNoExternalRequests(bp);
  });
});

describe('the pages', { skip: BROWSER_SKIP }, () => {
  /** The element that has focus, described as `tag#id` or `tag:text`. */
  // A string, evaluated in the page (the test code is compiled without the DOM types).
  const focused = (page: Page) => page.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el) return 'none';
    return el.id ? el.tagName.toLowerCase() + '#' + el.id : el.tagName.toLowerCase() + ':' + el.textContent.trim();
  })()`);

  async function tabOrder(page: Page, count: number): Promise<string[]> {
    const seen: string[] = [];
    for (let i = 0; i < count; i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused(page));
    }
    return seen;
  }

  async function assertAccessibleBasics(page: Page): Promise<void> {
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await page.locator('main').count(), 1);
    assert.ok((await page.title()).length > 0);
    // Every visible input has a label tied to it.
    for (const input of await page.locator('input:not([type=hidden])').all()) {
      const id = await input.getAttribute('id');
      assert.ok(id, 'input without id');
      assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `no label for #${id}`);
    }
  }

  test('sign-in, consent and PIN pages: lang, one h1, main, labels, and a sensible tab order', async () => {
    const link = await clientFor(h, { appKey: web.consumerKey, appSecret: web.consumerSecret }).generateAuthLink('oob', { linkMode: 'authorize' });
    const { page } = await browser.fresh();
    await page.goto(onServer(h, link.url));
    await assertAccessibleBasics(page);
    assert.deepEqual(await tabOrder(page, 3), ['input#screen_name', 'input#password', 'button:Sign in']);
    assert.equal(await page.getByLabel('Screen name').getAttribute('autocomplete'), 'username');
    assert.equal(await page.getByLabel('Password').getAttribute('type'), 'password');

    await signIn(page, 'alice', PASSWORD);
    await page.waitForURL(/\/oauth\/authorize\?/);
    await assertAccessibleBasics(page);
    assert.deepEqual(await tabOrder(page, 2), ['button:Allow', 'button:Cancel']);
    assert.equal(await page.getByRole('list', { name: 'Web App will be able to:' }).count(), 1);

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${h.url}/oauth/authorize`);
    await assertAccessibleBasics(page);
  });

  test('security headers, the session cookie, and nothing loaded from elsewhere', async () => {
    const client = clientFor(h, { clientId: web.clientId, clientSecret: web.clientSecret });
    const link = client.generateOAuth2AuthLink(redirect, { scope: SCOPES });
    const bp = await browser.fresh();
    const { page, context } = bp;
    const signInResponse = await page.goto(onServer(h, link.url));
    const headers = signInResponse!.headers();
    assert.equal(headers['content-security-policy'], `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${cb.origin}; frame-ancestors 'none'; base-uri 'none'`);
    assert.equal(headers['x-frame-options'], 'DENY');
    assert.equal(headers['cache-control'], 'no-store');
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(headers['content-type'], 'text/html; charset=utf-8');
    const [cookie] = await context.cookies(h.url);
    assert.equal(cookie?.name, 'roost_session');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Lax');

    const consent = page.waitForResponse((r) => r.url().includes('/i/oauth2/authorize?'));
    await signIn(page, 'alice', PASSWORD);
    const consentHeaders = (await consent).headers();
    assert.equal(consentHeaders['x-frame-options'], 'DENY');
    assert.match(consentHeaders['content-security-policy']!, new RegExp(`form-action 'self' ${cb.origin};`));

    // Inline CSS only: no stylesheet, script, image or font element anywhere.
    assert.equal(await page.locator('link, script, img, iframe, object, embed').count(), 0);
    await clickToCallback(page, 'Allow');
    assertNoExternalRequests(bp);
  });

  test('CSRF: a form posted with a tampered token gets the 403 page and no redirect', async () => {
    const client = clientFor(h, { clientId: web.clientId, clientSecret: web.clientSecret });
    const link = client.generateOAuth2AuthLink(redirect, { scope: SCOPES });
    const { page } = await browser.fresh();
    await page.goto(onServer(h, link.url));
    await page.locator('input[name=csrf_token]').evaluate((el: { value: string }) => { el.value = 'tampered'; });
    await signIn(page, 'alice', PASSWORD);
    await page.waitForURL(`${h.url}/i/sign-in`);
    assert.equal(await page.locator('h1').textContent(), 'This form has expired');

    // The consent form too.
    await page.goto(onServer(h, link.url));
    await signIn(page, 'alice', PASSWORD);
    await page.waitForURL(/\/i\/oauth2\/authorize\?/);
    await page.locator('input[name=csrf_token]').evaluate((el: { value: string }) => { el.value = 'tampered'; });
    const hitsBefore = cb.hits.length;
    const response = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Allow' }).click();
    assert.equal((await response).status(), 403);
    assert.equal(await page.locator('h1').textContent(), 'This form has expired');
    assert.equal(cb.hits.length, hitsBefore);
  });

  test('names are escaped: an app called <script>…</script> is shown as text', async () => {
    const evil = await appWithCallbacks(h, '<script>alert(1)</script> & "Co"', [redirect]);
    const link = clientFor(h, { clientId: evil.clientId, clientSecret: evil.clientSecret }).generateOAuth2AuthLink(redirect, { scope: ['users.read'] });
    const { page } = await browser.fresh();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(onServer(h, link.url));
    await signIn(page, 'alice', PASSWORD);
    await page.waitForURL(/\/i\/oauth2\/authorize\?/);
    assert.equal(await page.locator('h1').textContent(), 'Authorize <script>alert(1)</script> & "Co" to use your account?');
    assert.equal(await page.locator('script').count(), 0);
    assert.deepEqual(dialogs, []);
  });
});
