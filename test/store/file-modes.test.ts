// A SQLite database holds consumer secrets, token secrets and bearer tokens: its file, WAL and
// shared-memory file are readable by their owner only, whatever the umask, from the first start
// and after writes; an existing file left readable by others is tightened when roost opens it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { TwitterApi } from 'twitter-api-v2';
import { createApp, createToken, createUser } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { redirectPlugin } from '../support/harness.js';
import { openTarget } from '../../src/store/bulk/open-target.js';

let dir: string;
let umask: number;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'roost-modes-'));
  // The common default, under which files come out 0644 unless created otherwise.
  umask = process.umask(0o022);
});
after(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);

async function serve(db: string): Promise<RunningServer> {
  return startServer(loadConfig({ port: 0, host: '127.0.0.1', db, emulator: null, redisUrl: null }, {}));
}

test('a new database, its WAL and its shared-memory file are 0600 after start and after a write through the API', async () => {
  const db = join(dir, 'new.db');
  const server = await serve(db);
  const agent = new Agent({ keepAlive: true });
  try {
    assert.equal(modeOf(db), '600');
    const s = server.services;
    const app = await createApp(s.store, s.ids, s.clock, 'modes');
    const [alice, bob] = [await createUser(s.store, s.ids, s.clock, { screenName: 'alice' }), await createUser(s.store, s.ids, s.clock, { screenName: 'bob' })];
    const token = await createToken(s.store, s.clock, app, alice);
    const client = new TwitterApi(
      { appKey: app.consumerKey, appSecret: app.consumerSecret, accessToken: token.token, accessSecret: token.secret },
      { plugins: [redirectPlugin(server.url)], httpAgent: agent },
    );
    const followed = await client.v2.follow(String(alice.id), String(bob.id));
    assert.equal(followed.data.following, true);
    for (const file of [db, `${db}-wal`, `${db}-shm`]) assert.equal(modeOf(file), '600', file);
  } finally {
    agent.destroy();
    await server.close();
  }
  assert.equal(modeOf(db), '600', 'still 0600 after the last checkpoint and close');
});

test('an existing database readable by others is made 0600 when roost opens it', async () => {
  const db = join(dir, 'wide.db');
  const made = new Database(db);
  made.exec('CREATE TABLE t (x)');
  made.close();
  assert.equal(modeOf(db), '644', 'the umask left it readable by all');
  const server = await serve(db);
  try {
    assert.equal(modeOf(db), '600');
    assert.equal(await server.services.store.countUsers(), 0, 'opened and migrated as usual');
  } finally {
    await server.close();
  }
});

test('a database made by a bulk load (generate, import) is 0600 too', async () => {
  const db = join(dir, 'bulk.db');
  const target = await openTarget(db);
  try {
    assert.equal(modeOf(db), '600');
  } finally {
    await target.close();
  }
});
