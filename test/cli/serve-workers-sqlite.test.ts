// `serve --workers 2` on one SQLite file, through the real wire. Every request goes on a
// connection of its own (Connection: close), and node's cluster hands new connections to the
// workers in turn, so consecutive requests land on different workers: a write through one is
// read back through the other, a replayed nonce, a rate-limit window and an OAuth 2.0 code meet
// the other worker. Without REDIS_URL the workers share that state through the primary; with
// ROOST_TEST_REDIS set, the suite runs again with the state in Redis.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createApp, createToken, createUser, setPassword } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config.js';
import { closeServices, createServices } from '../../src/services.js';
import type { AppRow } from '../../src/store/types.js';
import { freePort } from '../support/free-port.js';
import { TEST_REDIS, deleteRedisKeys } from '../support/backend.js';
import { PASSWORD, PageAgent, TEST_SCRYPT, pkceAuthorize } from '../support/sign-in.js';
import { basic, signedRequest, type Credentials } from '../support/sign.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/roost', import.meta.url).pathname;
const CALLBACK = 'http://127.0.0.1:9/callback';
const FOLLOWERS = 10;

interface Reply { status: number; json: any; text: string }

/** One request on a connection of its own. */
function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', agent: false, headers: { ...init.headers, connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => {
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode!, json, text });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const signed = (creds: Credentials, origin: string, method: 'GET' | 'POST', path: string, params: [string, string][] = []) => {
  const req = signedRequest(creds, method === 'GET' ? { method, origin, path, query: params } : { method, origin, path, form: params });
  return () => call(req.url, { method, headers: req.init.headers, body: req.init.body as string | undefined });
};

let dir = '';
let server: ChildProcessWithoutNullStreams | null = null;
let out = '';
let base = '';
let db = '';
let app: AppRow;
let redisPrefix: string | null = null;
const people = new Map<string, { id: bigint; creds: Credentials }>();

async function start(redisUrl: string | null): Promise<void> {
  people.clear();
  out = '';
  dir = mkdtempSync(join(tmpdir(), 'roost-workers-'));
  db = join(dir, 'roost.db');
  const s = await createServices(loadConfig({ db, redisUrl: null }, {}));
  try {
    app = await createApp(s.store, s.ids, s.clock, 'two-workers', [CALLBACK]);
    for (const name of ['alice', 'bob', 'star', ...Array.from({ length: FOLLOWERS }, (_, i) => `fan${i}`)]) {
      const user = await createUser(s.store, s.ids, s.clock, { screenName: name });
      const tok = await createToken(s.store, s.clock, app, user);
      people.set(name, { id: user.id, creds: { consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: tok.token, tokenSecret: tok.secret } });
      if (name === 'alice') await setPassword(s.store, user, PASSWORD, TEST_SCRYPT);
    }
  } finally {
    await closeServices(s);
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, ROOST_LOG_LEVEL: 'warn', ROOST_FOLLOWS_PER_DAY: 'off', ROOST_FOLLOWS_PER_APP_PER_DAY: 'off' };
  delete env.REDIS_URL;
  redisPrefix = redisUrl ? `roost-test:workers-${process.pid}-${Date.now()}:` : null;
  if (redisUrl) Object.assign(env, { REDIS_URL: redisUrl, ROOST_REDIS_PREFIX: redisPrefix });
  server = spawn(process.execPath, [BIN, 'serve', '--workers', '2', '--port', String(port), '--db', db], { env });
  server.stdout.on('data', (d: Buffer) => { out += d; });
  server.stderr.on('data', (d: Buffer) => { out += d; });
  await new Promise<void>((resolve, reject) => {
    server!.stdout.on('data', () => { if (out.includes('roost serving')) resolve(); });
    server!.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  assert.match(out, new RegExp(`roost serving ${base} on \\S+roost\\.db with 2 workers \\(pids \\d+ \\d+\\)`));
}

async function stop(): Promise<void> {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
  if (TEST_REDIS && redisPrefix) await deleteRedisKeys(TEST_REDIS, redisPrefix);
}

const who = (name: string) => people.get(name)!;

for (const shared of ['the primary', ...(TEST_REDIS ? ['Redis'] : [])]) describe(`serve --workers 2 on one SQLite file, shared state in ${shared}`, () => {
  before(() => start(shared === 'Redis' ? TEST_REDIS : null));
  after(stop);

  it('a write through one worker is read back at once through the other, both ways', async () => {
    const alice = who('alice');
    const bob = who('bob');
    const show = () => signed(alice.creds, base, 'GET', '/1.1/friendships/show.json', [['target_id', bob.id.toString()]])();
    for (let i = 0; i < 20; i++) {
      // Six connections a round: the follow goes to one worker and is read through the other; the
      // unfollow goes to the other worker and is read through the first.
      const followed = await signed(alice.creds, base, 'POST', '/1.1/friendships/create.json', [['user_id', bob.id.toString()]])();
      assert.equal(followed.status, 200, followed.text);
      assert.equal((await show()).json.relationship.source.following, true, `round ${i}: the follow is seen`);
      assert.equal((await call(`${base}/1.1/users/show.json?user_id=${bob.id}`, { headers: { authorization: signedHeader(alice, 'users/show', bob.id) } })).json.followers_count, 1);
      const unfollowed = await signed(alice.creds, base, 'POST', '/1.1/friendships/destroy.json', [['user_id', bob.id.toString()]])();
      assert.equal(unfollowed.status, 200, unfollowed.text);
      assert.equal((await show()).json.relationship.source.following, false, `round ${i}: the unfollow is seen`);
      assert.equal((await call(`${base}/1.1/users/show.json?user_id=${bob.id}`, { headers: { authorization: signedHeader(alice, 'users/show', bob.id) } })).json.followers_count, 0);
    }
  });

  it('a signed request replayed to either worker is refused (401, code 32)', async () => {
    const replay = signed(who('bob').creds, base, 'GET', '/1.1/account/verify_credentials.json');
    assert.equal((await replay()).status, 200);
    for (let i = 0; i < 3; i++) {
      const again = await replay();
      assert.equal(again.status, 401, again.text);
      assert.equal(again.json.errors[0].code, 32);
    }
  });

  it('a 15-call window is 15 calls across both workers: the 16th gets 429', async () => {
    const token = await call(`${base}/oauth2/token`, {
      method: 'POST', headers: { authorization: basic(app.consumerKey, app.consumerSecret), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials',
    });
    assert.equal(token.status, 200, token.text);
    const path = `/1.1/friendships/show.json?source_id=${who('alice').id}&target_id=${who('bob').id}`;
    for (let i = 1; i <= 15; i++) assert.equal((await call(base + path, { headers: { authorization: `Bearer ${token.json.access_token}` } })).status, 200, `call ${i}`);
    for (let i = 16; i <= 17; i++) {
      const refused = await call(base + path, { headers: { authorization: `Bearer ${token.json.access_token}` } });
      assert.equal(refused.status, 429, `call ${i}: ${refused.text}`);
      assert.equal(refused.json.errors[0].code, 88);
    }
  });

  it('an OAuth 2.0 authorization code is redeemed once, whichever workers race for it', async () => {
    const pages = new PageAgent(base);
    const { path, verifier } = pkceAuthorize(app.clientId, CALLBACK, 'users.read tweet.read follows.read');
    const allowed = await pages.decide(await pages.signIn(path, 'alice'), 'allow');
    assert.equal(allowed.status, 302, allowed.text);
    const code = new URL(allowed.location!).searchParams.get('code');
    assert.ok(code, allowed.location!);
    const redeem = () => call(`${base}/2/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic(app.clientId, app.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: app.clientId }).toString(),
    });
    const answers = await Promise.all([redeem(), redeem(), redeem(), redeem()]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 400, 400, 400], answers.map((a) => a.text).join('\n'));
  });

  it('concurrent follows through both workers leave every count equal to its list', async () => {
    const fans = Array.from({ length: FOLLOWERS }, (_, i) => who(`fan${i}`));
    const targets = [who('star'), ...fans];
    const writes = fans.flatMap((fan) => targets.filter((t) => t !== fan).map((t) =>
      signed(fan.creds, base, 'POST', '/1.1/friendships/create.json', [['user_id', t.id.toString()]])));
    const answers = await Promise.all(writes.map((w) => w()));
    assert.deepEqual(answers.filter((a) => a.status !== 200).map((a) => a.text), []);
    const star = await call(`${base}/1.1/users/show.json?user_id=${who('star').id}`, { headers: { authorization: signedHeader(who('alice'), 'users/show', who('star').id) } });
    assert.equal(star.json.followers_count, FOLLOWERS);
    const ids = await signed(who('alice').creds, base, 'GET', '/1.1/followers/ids.json', [['user_id', who('star').id.toString()]])();
    assert.equal(ids.json.ids.length, FOLLOWERS);
    for (const fan of fans) {
      const me = await signed(fan.creds, base, 'GET', '/1.1/account/verify_credentials.json')();
      assert.deepEqual([me.json.friends_count, me.json.followers_count], [FOLLOWERS, FOLLOWERS - 1]);
    }
    const { stdout } = await run(process.execPath, [BIN, 'recount', '--check', '--json', '--db', db]);
    assert.deepEqual(JSON.parse(stdout).drift, [], 'recount finds no drift');
  });
});

/** An OAuth 1.0a header for GET users/show?user_id=id. */
function signedHeader(p: { creds: Credentials }, endpoint: string, id: bigint): string {
  return signedRequest(p.creds, { method: 'GET', origin: base, path: `/1.1/${endpoint}.json`, query: [['user_id', id.toString()]] }).init.headers.authorization!;
}
