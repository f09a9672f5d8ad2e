// The emulator empties its database and hands out credentials from a public fixture, so it
// empties only a database it created itself and binds only loopback unless told --expose; a
// normal server keeps its loopback default.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.js';
import { EMULATOR_APPLICATION_ID } from '../../src/emulator/owned-db.js';
import { startServer } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/roost', import.meta.url).pathname;
const ADMIN = 'safety-admin-token';
let dir: string;

before(() => { dir = mkdtempSync(join(tmpdir(), 'roost-emulator-safety-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs bin/roost, which must fail; its exit code and stderr. */
async function fails(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  // The timeout stops a server that started instead of refusing.
  const err = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 30_000 })
    .then(() => null, (e: { code: number; stderr: string }) => e);
  assert.ok(err, `roost ${args.join(' ')} succeeded`);
  return err;
}

/** Starts bin/roost serve, returns what it printed on stdout up to a line matching `until`, and stops it. */
async function linesUntil(until: RegExp, args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  try {
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d; });
    return await new Promise<string[]>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const lines = out.split('\n').slice(0, -1);
        const at = lines.findIndex((l) => until.test(l));
        if (at >= 0) resolve(lines.slice(0, at + 1));
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${err}`)));
    });
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
  }
}

const emulatorOn = (db: string) => loadConfig({
  port: 0, host: '127.0.0.1', db, redisUrl: null,
  emulator: { seed: 1, clock: 'frozen', adminToken: ADMIN, fixture: null, tempDb: false },
}, {});

test('serve --emulator refuses a database it did not create, whether named by --db or ROOST_DB, and leaves it whole', async () => {
  const real = join(dir, 'real.db');
  await run(process.execPath, [BIN, 'users', 'create', 'alice', '--db', real, '--json']);
  const expected = `roost: ${real} is a database the emulator did not create, so the emulator will not empty it (it empties its `
    + 'database at start and on every reset); name a new file with --db, or leave --db and ROOST_DB unset for a temporary database\n';
  const byFlag = await fails(['serve', '--emulator', '--port', '0', '--db', real]);
  assert.equal(byFlag.code, 1);
  assert.equal(byFlag.stderr, expected);
  const byEnv = await fails(['serve', '--emulator', '--port', '0'], { ROOST_DB: real });
  assert.equal(byEnv.stderr, expected);
  const store = await openStore(real);
  try {
    assert.equal((await store.userByScreenName('alice'))?.screenName, 'alice', 'the operator\'s user is still there');
  } finally {
    await store.close();
  }

  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'not a database at all, but mine\n');
  const text = await fails(['serve', '--emulator', '--port', '0', '--db', notes]);
  assert.match(text.stderr, new RegExp(`^roost: ${notes} is not a SQLite database, so the emulator will not empty it .*\\n$`));
  assert.equal(readFileSync(notes, 'utf8'), 'not a database at all, but mine\n');

  const pg = await fails(['serve', '--emulator', '--port', '0', '--db', 'postgres://postgres@127.0.0.1:5432/test?schema=public']);
  assert.equal(pg.stderr, 'roost: emulator mode runs on a SQLite file (it empties it on reset), not PostgreSQL\n', 'no schema is ever emptied');
});

test('a database the emulator created is its own: emptied on the next start, and marked', async () => {
  const own = join(dir, 'own.db');
  for (let run = 0; run < 2; run++) {
    const server = await startServer(emulatorOn(own));
    try {
      const res = await fetch(`${server.url}/_roost/fixture`, {
        method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/yaml' }, body: 'users:\n  ann: {}\n',
      });
      assert.equal(res.status, 200, 'a fixture loads on an empty database: the last run\'s "ann" is gone');
      assert.equal(await server.services.store.countUsers(), 1);
    } finally {
      await server.close();
    }
  }
  const db = new Database(own, { readonly: true });
  try {
    assert.equal(db.pragma('application_id', { simple: true }), EMULATOR_APPLICATION_ID);
  } finally {
    db.close();
  }
});

test('reset refuses, with 409, a database that is no longer the emulator\'s, and the server keeps serving', async () => {
  const own = join(dir, 'swapped.db');
  const server = await startServer(emulatorOn(own));
  const admin = (path: string, body?: string) => fetch(`${server.url}/_roost/${path}`, {
    method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/yaml' }, body,
  });
  try {
    assert.equal((await admin('fixture', 'users:\n  ann: {}\n')).status, 200);
    const other = new Database(own);
    other.pragma('application_id = 0');
    other.close();
    const refused = await admin('reset', '');
    assert.equal(refused.status, 409);
    assert.match((await refused.json() as { error: string }).error, new RegExp(`^${own} is a database the emulator did not create`));
    const state = await (await admin('state')).json() as { users: Record<string, unknown> };
    assert.deepEqual(Object.keys(state.users), ['ann'], 'nothing was emptied and the services still answer');
  } finally {
    await server.close();
  }
});

test('the emulator binds a non-loopback address only with --expose; a normal server keeps 127.0.0.1', async () => {
  const hint = /pass --expose \(or ROOST_EMULATOR_EXPOSE=1\) to serve it on another address\n$/;
  const byFlag = await fails(['serve', '--emulator', '--port', '0', '--host', '0.0.0.0']);
  assert.equal(byFlag.code, 1);
  assert.match(byFlag.stderr, /^roost: emulator mode binds only loopback addresses, not 0\.0\.0\.0: /);
  assert.match(byFlag.stderr, hint);
  assert.match((await fails(['serve', '--emulator', '--port', '0'], { HOST: '::' })).stderr, hint);

  // With --json the ready line is the only thing on stdout (logs go to stderr), so it comes first.
  const ready = /^\{"url":/;
  const exposed = await linesUntil(ready, ['--emulator', '--expose', '--port', '0', '--host', '0.0.0.0', '--json', '--fixture', 'none']);
  assert.equal(exposed.length, 1, exposed.join('\n'));
  assert.match((JSON.parse(exposed[0]!) as { url: string }).url, /^http:\/\/0\.0\.0\.0:\d+$/);
  const byEnv = await linesUntil(ready, ['--emulator', '--port', '0', '--json', '--fixture', 'none'], { HOST: '0.0.0.0', ROOST_EMULATOR_EXPOSE: '1' });
  assert.match((JSON.parse(byEnv[0]!) as { url: string }).url, /^http:\/\/0\.0\.0\.0:\d+$/);
  assert.equal((await fails(['serve', '--expose'])).stderr, 'roost: --expose needs --emulator (or ROOST_EMULATOR=on)\n');

  const plain = await linesUntil(/^roost serving /, ['--port', '0', '--db', join(dir, 'plain.db')], { HOST: '' });
  assert.match(plain.at(-1)!, /^roost serving http:\/\/127\.0\.0\.1:\d+ on /);
});
