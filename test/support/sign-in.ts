// Support for the sign-in flow tests: users with passwords, apps with callback URLs, a local
// callback server standing in for the client's web app, twitter-api-v2 clients aimed at the
// test server, and a cookie-keeping fetch that clicks through the pages without a browser.
import { createHash, randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { createServer, Agent, type Server } from 'node:http';
import { TwitterApi, type ITwitterApiClientPlugin, type TwitterApiOAuth2Init, type TwitterApiTokens } from 'twitter-api-v2';
import { createApp, createUser, setPassword } from '../../src/admin/accounts.js';
import type { AppRow, ClientType, UserRow } from '../../src/store/types.js';
import { redirectPlugin, startHarness, type Harness } from './harness.js';
import { noteSecrets } from './log-capture.js';

export const PASSWORD = 'correct horse battery staple';
/** A cheap scrypt cost for test users: the hash carries its parameters, so sign-in just runs faster. */
export const TEST_SCRYPT = { N: 2 ** 11, r: 8, p: 1 };

export async function userWithPassword(h: Harness, screenName: string, password = PASSWORD, name?: string): Promise<UserRow> {
  const s = h.server.services;
  const user = await createUser(s.store, s.ids, s.clock, { screenName, name });
  await setPassword(s.store, user, password, TEST_SCRYPT);
  noteSecrets(password);
  return user;
}

export async function appWithCallbacks(h: Harness, name: string, callbackUrls: string[], clientType: ClientType = 'confidential'): Promise<AppRow> {
  const s = h.server.services;
  const app = await createApp(s.store, s.ids, s.clock, name, callbackUrls, clientType);
  noteSecrets(app.consumerSecret, app.clientSecret);
  return app;
}

/**
 * twitter-api-v2 parses the answers of https://api.x.com/oauth/* as form data, recognising them
 * by that URL; once redirectPlugin has pointed the request at the test server it would take them
 * as plain text. This keeps the parse mode the real host gets.
 */
const formAnswers: ITwitterApiClientPlugin = {
  onBeforeRequestConfig({ params }) {
    if (/^https:\/\/api\.(x|twitter)\.com\/oauth\/(request_token|access_token)$/.test(params.url)) params.forceParseMode = 'url';
  },
};

/** twitter-api-v2 with its https://api.x.com calls sent to the test server over plain HTTP. */
export function clientFor(h: Harness, tokens: TwitterApiTokens | TwitterApiOAuth2Init): TwitterApi {
  return new TwitterApi(tokens as TwitterApiTokens, { plugins: [formAnswers, redirectPlugin(h.url)], httpAgent: new Agent() });
}

/** The browser-facing URLs the library builds point at x.com; the test server plays that part. */
export const onServer = (h: Harness, url: string): string => url.replace(/^https:\/\/(api\.)?(x|twitter)\.com/, h.url);

/** A client's web app: records every request to it and answers with a small page. */
export interface CallbackServer {
  origin: string;
  url(path?: string): string;
  hits: URL[];
  /** the next request (or one already received and not yet taken) */
  next(): Promise<URL>;
  close(): Promise<void>;
}

export async function callbackServer(): Promise<CallbackServer> {
  const hits: URL[] = [];
  let taken = 0;
  const waiters: ((u: URL) => void)[] = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', origin);
    if (u.pathname === '/favicon.ico') {
      // Browsers ask on their own; not a callback.
      res.writeHead(404, { connection: 'close' });
      res.end();
      return;
    }
    hits.push(u);
    const waiter = waiters.shift();
    if (waiter) {
      taken++;
      waiter(u);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
    res.end('<!doctype html><html lang="en"><title>Client app</title><h1>Back at the client</h1></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path = '/callback') => origin + path,
    hits,
    next: () => (taken < hits.length ? Promise.resolve(hits[taken++]!) : new Promise((r) => waiters.push(r))),
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

// ---- clicking through the pages without a browser (for the API tests) ----

export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
export const unescapeHtml = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);

/** The value of the form field `name` on a page. */
export function field(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  assert.ok(m, `no field ${name} in ${html.slice(0, 400)}`);
  return unescapeHtml(m[1]!);
}

/** A fetch that keeps the session cookie and never follows redirects. */
export class PageAgent {
  cookie = '';
  constructor(private readonly base: string) {}

  async request(path: string, form?: Record<string, string>): Promise<PageResponse> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    let body: string | undefined;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const url = path.startsWith('http') ? path : this.base + path;
    const res = await fetch(url, { method: form ? 'POST' : 'GET', headers, body, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    return { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get('location') };
  }

  /** From an authorize URL to the page after sign-in (the consent page, or a redirect). */
  async signIn(authorizeUrl: string, screenName: string, password = PASSWORD): Promise<PageResponse> {
    const page = await this.request(authorizeUrl);
    assert.equal(page.status, 200, page.text);
    const signedIn = await this.request('/i/sign-in', {
      csrf_token: field(page.text, 'csrf_token'), return_to: field(page.text, 'return_to'), screen_name: screenName, password,
    });
    assert.equal(signedIn.status, 303, signedIn.text);
    return this.request(signedIn.location!);
  }

  /** Answers a consent page; returns the redirect (or page) that follows. */
  async decide(consent: PageResponse, decision: 'allow' | 'cancel'): Promise<PageResponse> {
    assert.equal(consent.status, 200, consent.text);
    const action = /<form method="post" action="([^"]+)"/.exec(consent.text)![1]!;
    const form: Record<string, string> = { csrf_token: field(consent.text, 'csrf_token'), decision };
    for (const name of ['request', 'oauth_token']) {
      if (consent.text.includes(`name="${name}"`)) form[name] = field(consent.text, name);
    }
    return this.request(action, form);
  }
}

/** An OAuth 2.0 authorize path with a fresh PKCE pair (S256); the verifier redeems the code. */
export function pkceAuthorize(clientId: string, redirectUri: string, scope: string): { path: string; verifier: string } {
  const verifier = randomBytes(48).toString('base64url');
  const q = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  });
  return { path: `/i/oauth2/authorize?${q}`, verifier };
}

/** A server, a callback receiver and a confidential "Web App" redirecting to it: the sign-in tests' setting. */
export interface WebAppSetting { h: Harness; cb: CallbackServer; web: AppRow; close: () => Promise<void> }

export async function startWebApp(overrides: Parameters<typeof startHarness>[0] = {}): Promise<WebAppSetting> {
  const h = await startHarness(overrides);
  const cb = await callbackServer();
  const web = await appWithCallbacks(h, 'Web App', [cb.url('/callback')]);
  return { h, cb, web, close: async () => { await cb.close(); await h.close(); } };
}
