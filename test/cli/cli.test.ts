// bin/roost is an interface scripts depend on: its --json output, exit codes and `serve`.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { TwitterApi } from 'twitter-api-v2';
import { redirectPlugin } from '../support/harness.js';
import { TEST_BACKEND, testDb, type TestDb } from '../support/backend.js';
import { freePort } from '../support/free-port.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/roost', import.meta.url).pathname;
let testdb: TestDb;
/** The app and token the first test makes, for later ones. */
let alice: { app: Record<string, string>; token: Record<string, string> } | undefined;
let db: string;

async function roost(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [BIN, ...args, '--db', db]);
}

async function roostFails(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await roost(...args);
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  assert.fail(`roost ${args.join(' ')} succeeded`);
}

before(async () => {
  testdb = await testDb('cli');
  db = testdb.location;
});
after(() => testdb.cleanup());

test('apps, users and tokens print the documented JSON, and serve answers with them', async () => {
  const app = JSON.parse((await roost('apps', 'create', 'demo', '--json')).stdout);
  assert.deepEqual(Object.keys(app), ['consumer_key', 'consumer_secret', 'bearer_token', 'client_id', 'client_secret']);
  for (const v of Object.values(app)) assert.match(v as string, /^[A-Za-z0-9]{20,}$/);

  const created = await roost('users', 'create', 'alice', '--name', 'Alice A', '--description', 'hi https://a.example.org',
    '--location', 'Lisbon', '--url', 'https://alice.example', '--protected', '--verified', '--json');
  const user = JSON.parse(created.stdout);
  assert.equal(user.screen_name, 'alice');
  assert.equal(user.name, 'Alice A');
  assert.equal(user.location, 'Lisbon');
  assert.equal(user.url, 'https://alice.example');
  assert.equal(user.protected, true);
  assert.equal(user.verified, true);
  assert.equal(user.entities.description.urls[0].url, 'https://a.example.org');
  // The raw text carries the id exactly; it is a snowflake above 2^53.
  const rawId = /"id":(\d+)/.exec(created.stdout)![1]!;
  assert.equal(rawId, user.id_str);
  assert.ok(BigInt(rawId) > 2n ** 53n);

  const token = JSON.parse((await roost('tokens', 'create', '--consumer-key', app.consumer_key, '--user', 'alice', '--json')).stdout);
  alice = { app, token };
  assert.deepEqual(Object.keys(token), ['oauth_token', 'oauth_token_secret', 'user_id', 'screen_name']);
  assert.equal(token.user_id, user.id_str);
  assert.ok(token.oauth_token.startsWith(`${user.id_str}-`), 'access tokens read <user_id>-<random>');

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      server.stdout.on('data', (d: Buffer) => { out += d; if (out.includes('roost serving')) resolve(); });
      server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    assert.ok(out.includes(`roost serving ${base}`), out);
    assert.doesNotMatch(out, /database is empty/, 'the first-run hint is only for an empty database');
    const agent = new Agent();
    const client = new TwitterApi(
      { appKey: app.consumer_key, appSecret: app.consumer_secret, accessToken: token.oauth_token, accessSecret: token.oauth_token_secret },
      { plugins: [redirectPlugin(base)], httpAgent: agent },
    );
    const me = await client.v1.verifyCredentials();
    assert.equal(me.id_str, user.id_str);
    agent.destroy();
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
});

test('operator commands change the user, and errors are one line with a non-zero exit', async () => {
  await roost('users', 'create', 'bob', '--json');
  const suspended = JSON.parse((await roost('users', 'suspend', 'bob', '--json')).stdout);
  assert.equal(suspended.screen_name, 'bob');
  const listed = JSON.parse((await roost('apps', 'list', '--json')).stdout);
  assert.ok(Array.isArray(listed));

  const taken = await roostFails('users', 'create', 'bob');
  assert.equal(taken.code, 1);
  assert.equal(taken.stderr, 'roost: screen name "bob" is taken\n');

  const badName = await roostFails('users', 'create', 'not a name!');
  assert.equal(badName.stderr.trim().split('\n').length, 1);
  assert.match(badName.stderr, /^roost: screen name/);

  const noApp = await roostFails('tokens', 'create', '--consumer-key', 'nope', '--user', 'bob', '--json');
  assert.equal(noApp.stderr, 'roost: no app with consumer key nope\n');

  const noUser = await roostFails('users', 'suspend', 'nobody');
  assert.equal(noUser.stderr, 'roost: no user @nobody\n');

  const drift = JSON.parse((await roost('recount', '--check', '--json')).stdout);
  assert.deepEqual(drift.drift, []);
});

test('migrate; serve --workers: N processes on one port (one SQLite file or one PostgreSQL database) that stop together', async () => {
  assert.equal((await roost('migrate')).stdout, 'schema up to date\n');
  const inMemory = await run(process.execPath, [BIN, 'serve', '--workers', '2', '--port', '0', '--db', ':memory:']).then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
  assert.equal(inMemory.code, 1);
  assert.match(inMemory.stderr, /^roost: --workers 2 needs a database file or a postgres:\/\/ URL/);
  assert.ok(alice, 'the first test made an app and a token');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [BIN, 'serve', '--workers', '2', '--port', String(port), '--db', db], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ROOST_LOG_LEVEL: 'warn' },
  });
  let out = '';
  server.stdout.on('data', (d: Buffer) => { out += d; });
  server.stderr.on('data', (d: Buffer) => { out += d; });
  const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout.on('data', () => { if (out.includes('roost serving')) resolve(); });
      void exited.then((code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    assert.match(out, new RegExp(`roost serving ${base} on ${TEST_BACKEND === 'sqlite' ? '\\S+' : 'postgres\\S+'} with 2 workers \\(pids \\d+ \\d+\\)`));
    const agent = new Agent({ keepAlive: false });
    const client = new TwitterApi(
      { appKey: alice.app.consumer_key!, appSecret: alice.app.consumer_secret!, accessToken: alice.token.oauth_token!, accessSecret: alice.token.oauth_token_secret! },
      { plugins: [redirectPlugin(base)], httpAgent: agent },
    );
    for (let i = 0; i < 6; i++) assert.equal((await client.v1.verifyCredentials()).screen_name, 'alice');
    agent.destroy();
  } finally {
    server.kill('SIGTERM');
  }
  assert.equal(await exited, 0, out);
  assert.equal(out.match(/roost worker \d+ stopped: \d+ write transactions retried/g)?.length, 2, out);
});
