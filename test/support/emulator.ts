// An emulator started in-process on a fixture, with twitter-api-v2 clients for its named tokens,
// raw HTTP (exact bytes) and the admin routes.
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TwitterApi } from 'twitter-api-v2';
import { loadConfig, type EmulatorConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { redirectPlugin } from './harness.js';
import { authorizationHeader, oauthParams } from './sign.js';

export const ADMIN_TOKEN = 'test-admin-token';

export interface EmulatorHarness {
  server: RunningServer;
  url: string;
  /** a twitter-api-v2 client signed with the fixture token of that name */
  client(tokenName: string): TwitterApi;
  /** a client with the app's bearer (app-only) */
  appClient(appName?: string): TwitterApi;
  admin(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; json: any; text: string }>;
  /**
   * The exact bytes of the reply to a request signed as `tokenName` (or app-only with `app:NAME`).
   * Sent with `Host: roost.test`: replies name the host asked for (profile image URLs), so two
   * servers on two ports compare equal only when asked under one name.
   */
  rawBytes(method: 'GET' | 'POST', path: string, as: string, params?: Record<string, string>): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Fixture text: app `demo` (consumer key ck, secret cs) and any `apps` more, the users (no
 * fields), each token as a YAML flow map, and follows ("alice -> bob").
 */
export function fixtureYaml(o: { apps?: Record<string, string>; users: readonly string[]; tokens: Record<string, string>; follows?: readonly string[] }): string {
  const lines = [
    'apps:', '  demo: { consumer_key: ck, consumer_secret: cs }', ...Object.entries(o.apps ?? {}).map(([name, v]) => `  ${name}: ${v}`),
    'users:', ...o.users.map((u) => `  ${u}: {}`),
    'tokens:', ...Object.entries(o.tokens).map(([name, v]) => `  ${name}: ${v}`),
  ];
  if (o.follows) lines.push(`follows: [${o.follows.map((f) => JSON.stringify(f)).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** Writes fixture text to a temporary file; returns its path and a cleanup. */
export function fixtureFile(text: string): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'roost-fixture-'));
  const path = join(dir, 'fixture.yaml');
  writeFileSync(path, text);
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `db`: a database file of the test's, kept by close (a second start on it finds what the first left beside it). */
export async function startEmulator(fixtureText: string, settings: Partial<EmulatorConfig> = {}, rateLimits = true, db?: string): Promise<EmulatorHarness> {
  const fixture = fixtureFile(fixtureText);
  const emulator: EmulatorConfig = { seed: 7, clock: 'frozen', adminToken: ADMIN_TOKEN, fixture: fixture.path, tempDb: db === undefined, ...settings };
  const config = loadConfig({ port: 0, host: '127.0.0.1', rateLimits, emulator, ...(db === undefined ? {} : { db }) }, {});
  const server = await startServer(config).catch((err: unknown) => { fixture.cleanup(); throw err; });
  const agent = new Agent({ keepAlive: true });
  const settingsFor = { plugins: [redirectPlugin(server.url)], httpAgent: agent };
  const loaded = () => server.emulator!.loaded;
  const authFor = (method: string, url: URL, as: string, params: Record<string, string>) => {
    if (as.startsWith('app:')) return `Bearer ${loaded().apps.get(as.slice(4))!.bearerToken}`;
    const t = loaded().tokens.get(as)!;
    const creds = { consumerKey: t.app.consumerKey, consumerSecret: t.app.consumerSecret, token: t.row.token, tokenSecret: t.row.secret };
    return authorizationHeader(oauthParams(creds, { method: method as 'GET' | 'POST', signedUrl: url.origin + url.pathname, params: Object.entries(params) }));
  };
  return {
    server,
    url: server.url,
    client(name) {
      const t = loaded().tokens.get(name)!;
      return new TwitterApi({ appKey: t.app.consumerKey, appSecret: t.app.consumerSecret, accessToken: t.row.token, accessSecret: t.row.secret }, settingsFor);
    },
    appClient(appName = [...loaded().apps.keys()][0]!) {
      return new TwitterApi(loaded().apps.get(appName)!.bearerToken!, settingsFor);
    },
    async admin(method, path, body) {
      const res = await fetch(`${server.url}/_roost/${path}`, {
        method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text, json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null };
    },
    rawBytes(method, path, as, params = {}) {
      const url = new URL(`http://roost.test${path}`);
      const port = Number(new URL(server.url).port);
      const form = new URLSearchParams(params).toString();
      if (method === 'GET' && form) url.search = form;
      const head = [`${method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, `Authorization: ${authFor(method, url, as, params)}`, 'Connection: close'];
      if (method === 'POST') head.push('Content-Type: application/x-www-form-urlencoded', `Content-Length: ${Buffer.byteLength(form)}`);
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        const chunks: Buffer[] = [];
        socket.on('data', (c) => chunks.push(c));
        socket.on('end', () => resolve(Buffer.concat(chunks)));
        socket.on('error', reject);
        socket.write(`${head.join('\r\n')}\r\n\r\n${method === 'POST' ? form : ''}`);
      });
    },
    async close() {
      agent.destroy();
      await server.close();
      fixture.cleanup();
    },
  };
}
