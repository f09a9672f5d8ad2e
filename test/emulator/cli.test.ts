// The emulator from the command line: `load`, `serve --emulator`, what they say when something is
// wrong, and the README's test-suite example run as written.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { emulatorSettings } from '../../src/cli/emulator.js';
import { openStore } from '../../src/store/open-store.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/roost');
let dir: string;

before(() => { dir = mkdtempSync(join(tmpdir(), 'roost-emulator-cli-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

async function fails(...args: string[]): Promise<{ code: number; stderr: string }> {
  const err = await run(process.execPath, [BIN, ...args]).then(() => null, (e: { code: number; stderr: string }) => e);
  assert.ok(err, `roost ${args.join(' ')} succeeded`);
  return err;
}

const FIXTURE = 'apps:\n  demo: {}\nusers:\n  alice: {}\n  bob: { protected: true }\nfollows:\n  - alice -> bob\n';

test('load writes a fixture into a database offline; with --seed its credentials repeat', async () => {
  const file = join(dir, 'f.yaml');
  writeFileSync(file, FIXTURE);
  const outputs = [];
  for (const db of ['a.db', 'b.db']) {
    const { stdout } = await run(process.execPath, [BIN, 'load', file, '--db', join(dir, db), '--seed', '3', '--json']);
    outputs.push(JSON.parse(stdout));
  }
  assert.equal(outputs[0].tokens.alice.oauth_token, outputs[1].tokens.alice.oauth_token);
  assert.equal(outputs[0].apps.demo.consumer_secret, outputs[1].apps.demo.consumer_secret);
  const store = await openStore(join(dir, 'a.db'));
  try {
    assert.equal((await store.userByScreenName('bob'))?.followersCount, 1, 'the protected bob approved alice');
  } finally {
    await store.close();
  }
});

/** How many users and apps a database holds. */
async function contents(db: string): Promise<{ users: number; apps: number }> {
  const store = await openStore(db);
  try {
    return { users: await store.countUsers(), apps: (await store.listApps()).length };
  } finally {
    await store.close();
  }
}

test('load checks the whole fixture before writing: a bad third user, a taken name or a spent quota write nothing, and say file:line', async () => {
  const db = join(dir, 'checked.db');
  const badUrl = join(dir, 'bad-url.yaml');
  writeFileSync(badUrl, 'apps:\n  demo: {}\nusers:\n  ann: {}\n  ben: {}\n  cy:\n    url: ftp://cy.example\n');
  const url = await fails('load', badUrl, '--db', db);
  assert.equal(url.code, 1);
  assert.equal(url.stderr, `roost: ${badUrl}:7: users.cy.url: url "ftp://cy.example" must start with http:// or https://\n`);
  assert.deepEqual(await contents(db), { users: 0, apps: 0 }, 'ann and ben were not left behind');

  const good = join(dir, 'good.yaml');
  writeFileSync(good, FIXTURE);
  await run(process.execPath, [BIN, 'load', good, '--db', db]);
  const again = await fails('load', good, '--db', db);
  assert.equal(again.stderr, `roost: ${good}:4: users.alice: screen name "alice" is taken\n`);
  assert.deepEqual(await contents(db), { users: 2, apps: 1 });
  const bearer = join(dir, 'bearer.yaml');
  writeFileSync(bearer, 'apps:\n  first: {}\n  second: { bearer_token: AAAAfixedbearer }\n');
  await run(process.execPath, [BIN, 'load', bearer, '--db', db]);
  assert.equal((await fails('load', bearer, '--db', db)).stderr, `roost: ${bearer}:3: apps.second.bearer_token: already in use\n`);
  assert.deepEqual(await contents(db), { users: 2, apps: 3 }, 'the second load wrote no "first" app');

  const busy = join(dir, 'busy.yaml');
  writeFileSync(busy, 'apps:\n  demo: {}\nusers:\n  dee: {}\n  eve: {}\n  fay: {}\nfollows:\n  - dee -> eve\n  - dee -> fay\n');
  const quota = await run(process.execPath, [BIN, 'load', busy, '--db', db], { env: { ...process.env, ROOST_FOLLOWS_PER_DAY: '1' } })
    .then(() => null, (e: { code: number; stderr: string }) => e);
  assert.equal(quota?.stderr, `roost: ${busy}:9: follows[1]: dee would pass the daily follow quota (ROOST_FOLLOWS_PER_DAY=1)\n`);
  assert.deepEqual(await contents(db), { users: 2, apps: 3 }, 'nothing of busy.yaml was written');
});

test('a bad fixture, a stray emulator flag or a wrong clock exit 1 with one line that says what is wrong', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'users:\n  alice:\n    protected: yes please\n');
  const load = await fails('load', bad, '--db', join(dir, 'c.db'));
  assert.equal(load.code, 1);
  assert.equal(load.stderr, `roost: ${bad}:3: users.alice.protected: must be true or false\n`);
  const serve = await fails('serve', '--emulator', '--port', '0', '--fixture', bad);
  assert.equal(serve.code, 1);
  assert.match(serve.stderr, new RegExp(`^roost: ${bad}:3: users\\.alice\\.protected: must be true or false\\n$`));
  // The same checks, without a process each.
  assert.throws(() => emulatorSettings({ seed: '1' }), { message: '--seed needs --emulator (or ROOST_EMULATOR=on)' });
  assert.throws(() => emulatorSettings({ emulator: true, clock: 'slow' }), { message: '--clock must be frozen or real, got "slow"' });
  assert.equal(emulatorSettings({ emulator: true, seed: '9', db: 'x.db' })?.seed, 9);
});

test('the README\'s "In your test suite" example passes as written', async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## In your test suite'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, 'the section has a js block');
  // Inside the repository, so `twitter-api-v2` and `bin/roost` resolve as they do for a user.
  const file = join(ROOT, 'test', 'emulator', `.readme-example-${process.pid}.test.mjs`);
  writeFileSync(file, code);
  try {
    // Without the parent runner's context, so the child reports in plain TAP.
    const env = { ...process.env, NODE_TEST_CONTEXT: undefined, ROOST_LOG_LEVEL: 'warn' };
    const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', file], { cwd: ROOT, env });
    assert.match(stdout, /# pass 3\n/);
    assert.match(stdout, /# fail 0\n/);
  } finally {
    rmSync(file, { force: true });
  }
});
