// A started roost on a fresh database (SQLite, or a PostgreSQL schema with ROOST_TEST_BACKEND=postgres:
// see backend.ts), and real twitter-api-v2 clients pointed at it.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import { createApp, createToken, createUser, type UserInput } from '../../src/admin/accounts.js';
import { loadConfig, type ServerConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { AppRow, UserRow } from '../../src/store/types.js';
import { testDb } from './backend.js';
import { noteSecrets, noteSentCredentials, serverLogFile } from './log-capture.js';

export interface TestUser {
  user: UserRow;
  token: string;
  secret: string;
  client: TwitterApi;
}

export interface Harness {
  server: RunningServer;
  url: string;
  /** the --db location the server runs on */
  dbLocation: string;
  app: AppRow;
  user(screenName: string, input?: Partial<UserInput>): Promise<TestUser>;
  appClient(): Promise<TwitterApi>;
  /** A client signed with arbitrary credentials, for auth failure tests. */
  rawClient(creds: { appKey: string; appSecret: string; accessToken?: string; accessSecret?: string }): TwitterApi;
  /** A client sending `Authorization: Bearer <token>` (an OAuth 2.0 user access token, say). */
  bearerClient(token: string): TwitterApi;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** client plugins run after the redirect (e.g. a response validator) */
  plugins?: ITwitterApiClientPlugin[];
  /** where the server's log lines go (default: a file under ROOST_TEST_LOG_DIR when set, else none) */
  logDestination?: DestinationStream;
  /** runs on the fresh database before the server opens it (say, a bulk load) */
  beforeStart?: (dbLocation: string) => Promise<void>;
}

/** Clients call https://api.x.com; this plugin sends them to the test server before they sign. */
export function redirectPlugin(base: string): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig({ params }) {
      params.url = params.url.replace(/^https:\/\/api\.(x|twitter)\.com/, base);
    },
  };
}

export async function startHarness(overrides: Partial<ServerConfig> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const db = await testDb('e2e');
  // A PostgreSQL database has no file to keep the nonce journal beside: a directory of its own, removed at close.
  const nonceDir = db.location.startsWith('postgres') ? mkdtempSync(join(tmpdir(), 'roost-nonces-')) : null;
  const config = loadConfig({
    nonceDir,
    // A cheap scrypt for the passwords sign-in tests upgrade (production: 2^17).
    port: 0, host: '127.0.0.1', db: db.location, redisUrl: db.redisUrl, redisPrefix: db.redisPrefix, rateLimits: false, scryptN: 2 ** 12, ...overrides,
  }, {});
  let server: RunningServer;
  try {
    await options.beforeStart?.(db.location);
    const logDestination = options.logDestination ?? serverLogFile();
    server = await startServer(config, logDestination ? { logger: { level: 'info' }, logDestination } : {});
  } catch (err) {
    await db.cleanup();
    if (nonceDir) rmSync(nonceDir, { recursive: true, force: true });
    throw err;
  }
  const s = server.services;
  const app = await createApp(s.store, s.ids, s.clock, 'test app');
  noteSecrets(app.consumerSecret, app.bearerToken, app.clientSecret);
  // twitter-api-v2 always calls https.request; an http Agent makes it speak plain HTTP.
  const settings = { plugins: [redirectPlugin(server.url), noteSentCredentials, ...(options.plugins ?? [])], httpAgent: new Agent({ keepAlive: true }) };
  const rawClient: Harness['rawClient'] = (creds) => new TwitterApi(creds, settings);
  return {
    server,
    url: server.url,
    dbLocation: db.location,
    app,
    async user(screenName, input = {}) {
      const user = await createUser(s.store, s.ids, s.clock, { screenName, ...input });
      const t = await createToken(s.store, s.clock, app, user);
      noteSecrets(t.token, t.secret);
      return {
        user, token: t.token, secret: t.secret,
        client: rawClient({ appKey: app.consumerKey, appSecret: app.consumerSecret, accessToken: t.token, accessSecret: t.secret }),
      };
    },
    async appClient() {
      return new TwitterApi(app.bearerToken!, settings);
    },
    rawClient,
    bearerClient: (token) => {
      noteSecrets(token);
      return new TwitterApi(token, settings);
    },
    async close() {
      settings.httpAgent.destroy();
      await server.close();
      await db.cleanup();
      if (nonceDir) rmSync(nonceDir, { recursive: true, force: true });
    },
  };
}
