// Replica settings are checked at start, and a replica that is not there at start costs nothing
// but a warning: the server starts, reads the primary, and says so on /health/ready and /metrics.
// The last part runs with ROOST_TEST_PG (no standby needed).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { TwitterApi } from 'twitter-api-v2';
import { createApp, createToken, createUser } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config.js';
import { closeServices, createServices } from '../../src/services.js';
import { TEST_PG, testDb } from '../support/backend.js';
import { ids } from '../support/calls.js';
import { freePort } from '../support/free-port.js';
import { redirectPlugin } from '../support/harness.js';
import { metricValue, readyOf } from './replicas-support.js';
import { startServe, stopServe } from '../support/serve-process.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/roost', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'roost-replicas-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('replica settings', () => {
  it('default to none, and take a list of postgres:// URLs with their waits and limits', () => {
    assert.deepEqual(loadConfig({}, {}).replicas, { urls: [], waitMs: 200, maxLagMs: 5000, timeoutMs: 1000 });
    const env = { ROOST_DB_REPLICAS: 'postgres://r1/db, postgresql://r2:5433/db', ROOST_REPLICA_WAIT_MS: '0', ROOST_REPLICA_MAX_LAG_MS: '800', ROOST_REPLICA_TIMEOUT_MS: '250' };
    assert.deepEqual(loadConfig({}, env).replicas, { urls: ['postgres://r1/db', 'postgresql://r2:5433/db'], waitMs: 0, maxLagMs: 800, timeoutMs: 250 });
    assert.throws(() => loadConfig({}, { ROOST_DB_REPLICAS: 'mysql://r1/db' }), /ROOST_DB_REPLICAS must list postgres:\/\/ URLs, got "mysql:\/\/r1\/db"/);
    assert.throws(() => loadConfig({}, { ROOST_REPLICA_MAX_LAG_MS: '0' }), /ROOST_REPLICA_MAX_LAG_MS must be a whole number >= 1/);
  });

  it('refuse a SQLite database at start, naming the setting, before the file is made', async () => {
    const db = join(dir, 'refused.db');
    const err = await run(process.execPath, [BIN, 'serve', '--port', '0', '--db', db, '--db-replicas', 'postgres://127.0.0.1:1/x'])
      .then(() => null, (e: { code: number; stderr: string }) => e);
    assert.ok(err, 'serve fails');
    assert.equal(err.code, 1);
    assert.match(err.stderr, /ROOST_DB_REPLICAS needs a PostgreSQL database/);
    assert.equal(existsSync(db), false, 'no database file left behind');
  });
});

describe('a replica that is not there at start', { skip: !TEST_PG && 'ROOST_TEST_PG is not set' }, () => {
  it('leaves the server starting, reading the primary, and reporting the replica down', async () => {
    const db = await testDb('replica_absent', 'postgres');
    const s = await createServices(loadConfig({ db: db.location, redisUrl: null }, {}));
    const app = await createApp(s.store, s.ids, s.clock, 'absent');
    const user = await createUser(s.store, s.ids, s.clock, { screenName: 'absentreader' });
    const tok = await createToken(s.store, s.clock, app, user);
    await closeServices(s);
    const nobody = await freePort(); // nothing listens there
    const p = await startServe(db.location, { ROOST_DB_REPLICAS: `postgres://postgres@127.0.0.1:${nobody}/test`, ROOST_REDIS_PREFIX: db.redisPrefix });
    const agent = new Agent({ keepAlive: true });
    try {
      const client = new TwitterApi(
        { appKey: app.consumerKey, appSecret: app.consumerSecret, accessToken: tok.token, accessSecret: tok.secret },
        { plugins: [redirectPlugin(p.base)], httpAgent: agent },
      );
      for (let i = 0; i < 3; i++) assert.deepEqual(await ids(client, 'friends/ids'), []);
      const ready = await readyOf(p);
      assert.equal(ready.status, 200, 'ready: the primary answers');
      assert.deepEqual(Object.keys(ready.body.replicas ?? {}), [`127.0.0.1:${nobody}/test`], 'named without credentials');
      assert.equal(Object.values(ready.body.replicas ?? {})[0]?.status, 'down');
      assert.equal(await metricValue(p, 'roost_db_replica_up'), 0);
      assert.ok(await metricValue(p, 'roost_db_primary_reads_total', 'reason="none-in-rotation"') >= 3);
      assert.equal(p.out().split('out of rotation').length - 1, 1, 'warned once');
    } finally {
      agent.destroy();
      await stopServe(p);
      await db.cleanup();
    }
  });
});
