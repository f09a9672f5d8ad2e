// The CLI commands behind the sign-in pages: passwords, callback URLs, public clients. What they
// store is then used by a browser-less click through the pages of a server on the same database.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { PageAgent } from '../support/sign-in.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/roost', import.meta.url).pathname;
let dir: string;
let db: string;

// A cheap scrypt cost: the CLI hashes with ROOST_SCRYPT_N, and the hash records it.
const roost = async (...args: string[]) => (await run(process.execPath, [BIN, ...args, '--db', db], { env: { ...process.env, ROOST_SCRYPT_N: '4096' } })).stdout;
async function roostFails(...args: string[]): Promise<string> {
  try {
    await roost(...args);
  } catch (err) {
    return (err as { stderr: string }).stderr;
  }
  assert.fail(`roost ${args.join(' ')} succeeded`);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'roost-cli-sign-in-'));
  db = join(dir, 'roost.db');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('users create --password, set-password, apps create --public --callback-url, apps update; then a sign-in with them', async () => {
  const app = JSON.parse(await roost('apps', 'create', 'spa', '--public', '--callback-url', 'http://127.0.0.1:9/first', '--json'));
  assert.equal(app.client_secret, null, 'a public client has no secret to show');
  await roost('users', 'create', 'carol', '--password', 'first password', '--json');
  assert.equal(await roost('users', 'set-password', 'carol', 'second password'), 'password set for @carol\n');

  const updated = JSON.parse(await roost('apps', 'update', app.consumer_key, '--callback-url', 'http://127.0.0.1:9/cb',
    '--callback-url', 'http://127.0.0.1:9/other', '--json'));
  assert.deepEqual(updated.callback_urls, ['http://127.0.0.1:9/cb', 'http://127.0.0.1:9/other']);
  assert.equal(updated.client_type, 'public');
  assert.equal(await roostFails('apps', 'update', app.consumer_key, '--callback-url', 'not a url'), 'roost: callback URL "not a url" is not an absolute URL\n');
  assert.equal(await roostFails('users', 'create', 'dave', '--password', ''), 'roost: password must not be empty\n');

  const server = await startServer(loadConfig({ port: 0, host: '127.0.0.1', db }, {}));
  try {
    assert.equal(await server.services.store.userByScreenName('dave'), undefined, 'a refused password creates no user');
    assert.deepEqual((await server.services.store.appByConsumerKey(app.consumer_key))?.callbackUrls, updated.callback_urls);
    const verifier = randomBytes(40).toString('base64url');
    const q = new URLSearchParams({
      response_type: 'code', client_id: app.client_id, redirect_uri: 'http://127.0.0.1:9/cb', scope: 'users.read tweet.read',
      state: 's', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
    });
    // The old password no longer works; the new one does.
    const agent = new PageAgent(server.url);
    await assert.rejects(agent.signIn(`/i/oauth2/authorize?${q}`, 'carol', 'first password'));
    const consent = await agent.signIn(`/i/oauth2/authorize?${q}`, 'carol', 'second password');
    assert.match(consent.text, /Authorize spa to use your account\?/);
    const back = new URL((await agent.decide(consent, 'allow')).location!);
    const tokens = await fetch(`${server.url}/2/oauth2/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, code_verifier: verifier,
        redirect_uri: 'http://127.0.0.1:9/cb', client_id: app.client_id }),
    });
    assert.equal(tokens.status, 200);
    assert.equal(((await tokens.json()) as { scope: string }).scope, 'users.read tweet.read');
  } finally {
    await server.close();
  }
});
