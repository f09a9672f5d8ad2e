// Read replicas through the wire: two `bin/roost serve` processes on a primary with a streaming
// hot standby (scripts/pg-standby.sh; .ci/run starts one). The standby applies commits 250 ms
// late, so a read that reaches it too early is visibly stale: other callers' reads are (sometimes),
// a caller's reads right after its own write never are, on either process. Stopping the standby
// fails no request and shows on /health/ready and /metrics; restarted, it is read again.
// Runs with ROOST_TEST_PG_PRIMARY and ROOST_TEST_PG_REPLICA; skips without them unless
// ROOST_TEST_REQUIRE_REPLICA=1.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { TwitterApi } from 'twitter-api-v2';
import { createApp, createToken, createUser } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config.js';
import { closeServices, createServices } from '../../src/services.js';
import { deleteRedisKeys, dropSchema, schemaUrl, TEST_REDIS } from '../support/backend.js';
import { ids, post } from '../support/calls.js';
import { redirectPlugin } from '../support/harness.js';
import { TcpRelay } from '../support/tcp-relay.js';
import { metricValue, readyOf } from './replicas-support.js';
import { startServe, stopServe, type Served } from '../support/serve-process.js';

const run = promisify(execFile);
const PRIMARY = process.env.ROOST_TEST_PG_PRIMARY || null;
const REPLICA = process.env.ROOST_TEST_PG_REPLICA || null;
const REQUIRED = process.env.ROOST_TEST_REQUIRE_REPLICA === '1';
const STANDBY = new URL('../../scripts/pg-standby.sh', import.meta.url).pathname;
const ROUNDS = Number(process.env.ROOST_REPLICA_ROUNDS ?? 40);

if (REQUIRED && !(PRIMARY && REPLICA)) throw new Error('ROOST_TEST_REQUIRE_REPLICA=1 needs ROOST_TEST_PG_PRIMARY and ROOST_TEST_PG_REPLICA');
const skip = !(PRIMARY && REPLICA) && 'ROOST_TEST_PG_PRIMARY / ROOST_TEST_PG_REPLICA are not set (scripts/pg-standby.sh start)';

const schema = `rt_replicas_${process.pid}`;
const redisPrefix = `roost-test:${schema}:`;
const procs: Served[] = [];
const agents: Agent[] = [];
let clients: { writer: [TwitterApi, TwitterApi]; reader: [TwitterApi, TwitterApi] };
let ids_: { target: string; writer: string };
const CROWD = 8;
/** The standby applies commits this late; a caller waits up to WAIT_MS for it (so seldom reads the primary). */
const DELAY_MS = 250;
const WAIT_MS = 1000;
let crowd: [TwitterApi, TwitterApi][] = [];
let tokens: { reader: { appKey: string; appSecret: string; accessToken: string; accessSecret: string } };

async function onReplica(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: REPLICA! });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Commits become visible on the standby this late (reset at the end). */
async function applyDelay(ms: number): Promise<void> {
  await onReplica(`ALTER SYSTEM SET recovery_min_apply_delay = '${ms}ms'`);
  await onReplica('SELECT pg_reload_conf()');
}

describe('PostgreSQL read replicas, through two roost processes', { skip }, () => {
  before(async () => {
    const location = schemaUrl(PRIMARY!, schema);
    const s = await createServices(loadConfig({ db: location, redisUrl: null }, {}));
    const app = await createApp(s.store, s.ids, s.clock, 'replicas');
    const made: { user: { id: bigint }; tok: { token: string; secret: string } }[] = [];
    for (const name of ['rwriter', 'rtarget', 'rreader', ...Array.from({ length: CROWD }, (_, i) => `rcrowd${i}`)]) {
      const user = await createUser(s.store, s.ids, s.clock, { screenName: name });
      made.push({ user, tok: await createToken(s.store, s.clock, app, user) });
    }
    await closeServices(s);
    await applyDelay(DELAY_MS);
    const env = { ROOST_DB_REPLICAS: REPLICA!, ROOST_REPLICA_WAIT_MS: String(WAIT_MS), ROOST_REDIS_PREFIX: redisPrefix, ...(TEST_REDIS ? { REDIS_URL: TEST_REDIS } : {}) };
    procs.push(await startServe(location, env), await startServe(location, env));
    agents.push(new Agent({ keepAlive: true }), new Agent({ keepAlive: true }));
    const client = (i: number, p: number) => new TwitterApi(
      { appKey: app.consumerKey, appSecret: app.consumerSecret, accessToken: made[i]!.tok.token, accessSecret: made[i]!.tok.secret },
      { plugins: [redirectPlugin(procs[p]!.base)], httpAgent: agents[p]! },
    );
    tokens = { reader: { appKey: app.consumerKey, appSecret: app.consumerSecret, accessToken: made[2]!.tok.token, accessSecret: made[2]!.tok.secret } };
    clients = { writer: [client(0, 0), client(0, 1)], reader: [client(2, 0), client(2, 1)] };
    crowd = made.slice(3).map((_, i) => [client(3 + i, 0), client(3 + i, 1)]);
    ids_ = { writer: made[0]!.user.id.toString(), target: made[1]!.user.id.toString() };
  });

  after(async () => {
    for (const a of agents) a.destroy();
    for (const p of procs) await stopServe(p);
    if (!PRIMARY) return;
    await run(STANDBY, ['replica-start']).catch(() => undefined);
    await applyDelay(0).catch(() => undefined);
    await dropSchema(PRIMARY, schema);
    if (TEST_REDIS) await deleteRedisKeys(TEST_REDIS, redisPrefix);
  });

  it('a caller reads its own writes at once, through either process, while others read the replica', async (t) => {
    const started = performance.now();
    const before = await Promise.all(procs.map((p) => metricValue(p, 'roost_db_replica_reads_total')));
    // Without Redis a caller's writes are known only to the process that took them.
    const crossProcess = TEST_REDIS !== null;
    let othersStale = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const follow = i % 2 === 0;
      const w = i % 2;
      const r = crossProcess ? 1 - w : w;
      await post(clients.writer[w as 0 | 1], follow ? 'friendships/create' : 'friendships/destroy', { user_id: ids_.target });
      // Started together: the writer's read must see the write; the other caller's may not yet.
      const [own, other] = await Promise.all([
        ids(clients.writer[r as 0 | 1], 'friends/ids'),
        ids(clients.reader[r as 0 | 1], 'friends/ids', { user_id: ids_.writer }),
      ]);
      assert.deepEqual(own, follow ? [ids_.target] : [], `round ${i}: the writer's own read is not stale`);
      if (other.includes(ids_.target) !== follow) othersStale++;
    }
    const ms = (performance.now() - started) / ROUNDS;
    const afterReads = await Promise.all(procs.map((p) => metricValue(p, 'roost_db_replica_reads_total')));
    const behind = await Promise.all(procs.map((p) => metricValue(p, 'roost_db_primary_reads_total', 'reason="behind"')));
    t.diagnostic(`${ROUNDS} rounds (write, then two reads at once) in ${ms.toFixed(1)} ms each; redis ${crossProcess ? 'on' : 'off'}`);
    t.diagnostic(`replica reads: ${afterReads.map((n, i) => n - before[i]!).join(' + ')}; `
      + `reads sent to the primary because the replica had not replayed the caller's write in time: ${behind.join(' + ')}; `
      + `other caller's reads that were stale: ${othersStale}/${ROUNDS}`);
    if (TEST_REDIS) for (const p of procs) assert.equal(await metricValue(p, 'roost_redis_up'), 1);
    for (const [i, n] of afterReads.entries()) assert.ok(n > before[i]!, `process ${i} read the replica (${before[i]} -> ${n} reads)`);
    // The standby lags DELAY_MS: a caller with no write of its own reads it, and sees the lag.
    assert.ok(othersStale > 0, 'another caller, reading the replica, saw a write late at least once');
    // ... and eventually sees it.
    const last = ROUNDS % 2 === 1;
    for (let t = 0; ; t++) {
      const seen = (await ids(clients.reader[1], 'friends/ids', { user_id: ids_.writer })).includes(ids_.target);
      if (seen === last) break;
      assert.ok(t < 100, 'another caller sees the write through the replica within a second');
      await new Promise((res) => setTimeout(res, 10));
    }
  });

  it(`${CROWD} callers writing and reading at once through both processes never miss their own writes`, async (t) => {
    const started = performance.now();
    let calls = 0;
    await Promise.all(crowd.map(async (c, u) => {
      for (let i = 0; i < 10; i++) {
        const follow = i % 2 === 0;
        await post(c[(u + i) % 2 as 0 | 1], follow ? 'friendships/create' : 'friendships/destroy', { user_id: ids_.target });
        const own = await ids(c[(u + i + 1) % 2 as 0 | 1], 'friends/ids');
        assert.deepEqual(own, follow ? [ids_.target] : [], `caller ${u}, round ${i}`);
        calls += 2;
      }
    }));
    t.diagnostic(`${calls} calls by ${CROWD} concurrent callers in ${((performance.now() - started) / 1000).toFixed(1)} s, none stale`);
  });

  it('a hung standby is dropped within its timeout: reads on it go to the primary, and none fails', async (t) => {
    const target = new URL(REPLICA!);
    const relay = new TcpRelay({ host: target.hostname, port: Number(target.port) });
    await relay.start();
    const via = new URL(REPLICA!);
    via.port = String(relay.port);
    const p = await startServe(schemaUrl(PRIMARY!, schema), {
      // Reads left on the hung standby would wait out this timeout: they must not.
      ROOST_DB_REPLICAS: via.toString(), ROOST_REPLICA_TIMEOUT_MS: '300', ROOST_STATEMENT_TIMEOUT_MS: '10000', ROOST_REDIS_PREFIX: redisPrefix,
      ...(TEST_REDIS ? { REDIS_URL: TEST_REDIS } : {}),
    });
    const agent = new Agent({ keepAlive: true });
    try {
      const reader = new TwitterApi(tokens.reader, { plugins: [redirectPlugin(p.base)], httpAgent: agent });
      await ids(reader, 'friends/ids', { user_id: ids_.writer });
      assert.ok(await metricValue(p, 'roost_db_replica_reads_total') > 0, 'the standby is read through the relay');
      relay.hung = true;
      const started = performance.now();
      // Reads that reach the hung standby before the probe notices are failed over with it.
      const answers = await Promise.all(Array.from({ length: 10 }, () => ids(reader, 'friends/ids', { user_id: ids_.writer })));
      const waited = performance.now() - started;
      assert.equal(answers.length, 10);
      t.diagnostic(`10 reads started as the standby hung answered within ${waited.toFixed(0)} ms (ROOST_REPLICA_TIMEOUT_MS=300)`);
      assert.ok(waited < 4000, `reads answered within 4 s of the standby hanging, not after 10 s (${waited.toFixed(0)} ms)`);
      const ready = await readyOf(p);
      assert.equal(ready.status, 200);
      assert.equal(Object.values(ready.body.replicas ?? {})[0]?.status, 'down');
      relay.hung = false;
      for (let t = 0; (Object.values((await readyOf(p)).body.replicas ?? {})[0])?.status !== 'ok'; t++) {
        assert.ok(t < 100, 'back in rotation within 5 s of answering again');
        await new Promise((res) => setTimeout(res, 50));
      }
    } finally {
      agent.destroy();
      await stopServe(p);
      await relay.cut();
    }
  });

  it('a stopped standby fails no request, shows on /health/ready and /metrics, and is read again once restarted', async () => {
    await run(STANDBY, ['replica-stop']);
    for (let i = 0; i < 20; i++) {
      await post(clients.writer[(i % 2) as 0 | 1], i % 2 === 0 ? 'friendships/create' : 'friendships/destroy', { user_id: ids_.target });
      const seen = await ids(clients.reader[(i % 2) as 0 | 1], 'friends/ids', { user_id: ids_.writer });
      assert.equal(seen.includes(ids_.target), i % 2 === 0, `round ${i}: the primary answers while the standby is down`);
    }
    for (const p of procs) {
      const ready = await readyOf(p);
      assert.equal(ready.status, 200, 'still ready while the primary answers');
      const replica = Object.values(ready.body.replicas ?? {})[0];
      assert.equal(replica?.status, 'down');
      assert.equal(await metricValue(p, 'roost_db_replica_up'), 0);
    }
    await run(STANDBY, ['replica-start']);
    for (const p of procs) {
      for (let t = 0; (Object.values((await readyOf(p)).body.replicas ?? {})[0])?.status !== 'ok'; t++) {
        assert.ok(t < 100, 'the standby is back in rotation within 5 s');
        await new Promise((res) => setTimeout(res, 50));
      }
      assert.equal(await metricValue(p, 'roost_db_replica_up'), 1);
    }
    const before = await metricValue(procs[0]!, 'roost_db_replica_reads_total');
    await ids(clients.reader[0], 'friends/ids', { user_id: ids_.writer });
    assert.ok(await metricValue(procs[0]!, 'roost_db_replica_reads_total') > before, 'reads go to the standby again');
    const logs = procs[0]!.out();
    assert.equal(logs.split('out of rotation').length - 1, 1, `the outage is logged once: ${logs}`);
    assert.match(logs, /back in rotation/);
  });
});
