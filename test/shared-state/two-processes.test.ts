// Writes stay exact on PostgreSQL with more than one roost process (issue 4): two `bin/roost
// serve` processes on one database schema (and one Redis, when ROOST_TEST_REDIS is set) take
// thousands of concurrent follow, unfollow, block, unblock and accept calls through real
// clients. Afterwards no call got a 5xx, `bin/roost recount --check --json` finds no drift, and
// every count the API shows equals the list it shows. The figures are printed as diagnostics.
// Runs only with ROOST_TEST_PG. ROOST_TWO_PROCESS_CALLS sets the number of calls (default 2400).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { Agent } from 'node:http';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { createApp, createToken, createUser } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config.js';
import { closeServices, createServices } from '../../src/services.js';
import { TEST_PG, testDb, type TestDb } from '../support/backend.js';
import { ids, showUser } from '../support/calls.js';
import { redirectPlugin } from '../support/harness.js';
import { prng } from '../support/prng.js';
import { startServe, stopServe, type Served } from '../support/serve-process.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/roost', import.meta.url).pathname;
const CALLS = Number(process.env.ROOST_TWO_PROCESS_CALLS ?? 2400);
const USERS = 16;
const PROTECTED = new Set([0, 1, 2, 3]); // their followers come through accepted requests
const IN_FLIGHT = 128; // calls outstanding at any moment, across both processes

function serve(db: TestDb): Promise<Served> {
  return startServe(db.location, { ROOST_LOG_LEVEL: 'warn', ROOST_REDIS_PREFIX: db.redisPrefix, ...(db.redisUrl ? { REDIS_URL: db.redisUrl } : {}) });
}

/** SIGTERM, then the retry figure from the line a stopping server prints. */
async function stop(p: Served): Promise<{ code: number | null; retries: number; most: number; fallbacks: number }> {
  const code = await stopServe(p);
  const m = /stopped: (\d+) write transactions retried \(at most (\d+) attempts for one\), (\d+) Redis fallbacks/.exec(p.out());
  assert.ok(m, `no shutdown line in: ${p.out()}`);
  return { code, retries: Number(m[1]), most: Number(m[2]), fallbacks: Number(m[3]) };
}

const OPS = [
  ['friendships/create', 6], ['friendships/destroy', 3], ['blocks/create', 1], ['blocks/destroy', 1], ['friendships/accept', 2],
] as const;

function pickOp(r: number): string {
  const total = OPS.reduce((n, [, w]) => n + w, 0);
  let x = r * total;
  for (const [op, w] of OPS) if ((x -= w) < 0) return op;
  return OPS[0][0];
}

let db: TestDb | null = null;
const procs: Served[] = [];
after(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await db?.cleanup();
});

test(`two roost processes on one PostgreSQL database: ${CALLS} concurrent graph writes, no 5xx, no drift`, { skip: !TEST_PG && 'ROOST_TEST_PG is not set' }, async (t) => {
  db = await testDb('twoproc', 'postgres');

  // Users, one app and its tokens, made in-process (the schema is migrated here, before either server starts).
  const s = await createServices(loadConfig({ db: db.location, redisUrl: null }, {}));
  const app = await createApp(s.store, s.ids, s.clock, 'load');
  const people: { id: string; screenName: string; token: string; secret: string }[] = [];
  for (let i = 0; i < USERS; i++) {
    const user = await createUser(s.store, s.ids, s.clock, { screenName: `tp${i}`, protected: PROTECTED.has(i) });
    const tok = await createToken(s.store, s.clock, app, user);
    people.push({ id: user.id.toString(), screenName: user.screenName, token: tok.token, secret: tok.secret });
  }
  await closeServices(s);

  const [a, b] = [await serve(db), await serve(db)];
  procs.push(a, b);
  const agents = [new Agent({ keepAlive: true }), new Agent({ keepAlive: true })];
  const clientOf = (i: number, p: number) => new TwitterApi(
    { appKey: app.consumerKey, appSecret: app.consumerSecret, accessToken: people[i]!.token, accessSecret: people[i]!.secret },
    { plugins: [redirectPlugin(procs[p]!.base)], httpAgent: agents[p]! },
  );
  const clients = people.map((_, i) => [clientOf(i, 0), clientOf(i, 1)] as const);

  const seed = Number(process.env.ROOST_TEST_SEED ?? 20261127);
  const rand = prng(seed);
  const calls = Array.from({ length: CALLS }, () => {
    const op = pickOp(rand());
    const protectedOnes = [...PROTECTED];
    // Accepting is the protected users' call; anyone may be the requester named.
    const from = op === 'friendships/accept' ? protectedOnes[Math.floor(rand() * protectedOnes.length)]! : Math.floor(rand() * USERS);
    const to = (from + 1 + Math.floor(rand() * (USERS - 1))) % USERS;
    return { op, from, to, proc: (rand() < 0.5 ? 0 : 1) as 0 | 1 };
  });

  const statuses = new Map<string, number>();
  const serverErrors: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < calls.length) {
      const { op, from, to, proc } = calls[next++]!;
      let key: string;
      try {
        await clients[from]![proc].v1.post(`${op}.json`, { user_id: people[to]!.id });
        key = '200';
      } catch (err) {
        if (!(err instanceof ApiResponseError)) throw err;
        const code = (err.data as { errors?: { code: number }[] }).errors?.[0]?.code;
        key = `${err.code}/${code}`;
        if (err.code >= 500) serverErrors.push(`${op} ${from}->${to} on ${proc}: ${err.code} ${JSON.stringify(err.data)}`);
      }
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
  }));
  const seconds = (performance.now() - started) / 1000;

  const logged = procs.flatMap((p) => p.out().split('\n').filter((l) => /unhandled error|"level":50/.test(l))).slice(0, 3);
  assert.deepEqual(serverErrors, [], `no call got a 5xx; the servers logged: ${logged.join('\n')}`);
  // 403/160 already requested, 403/161 follow limit, 403/162 blocked; 404/... nothing to accept.
  for (const k of statuses.keys()) assert.match(k, /^(200|403\/16[012]|404\/\d+)$/, `unexpected answer ${k}`);
  assert.ok((statuses.get('200') ?? 0) > CALLS / 2, `most calls succeed: ${JSON.stringify([...statuses])}`);

  // The API's own view: every count equals the list it shows, on both processes.
  for (const [i, p] of people.entries()) {
    const followers = await ids(clients[i]![0], 'followers/ids');
    const friends = await ids(clients[i]![1], 'friends/ids');
    const shown = await showUser(clients[(i + 1) % USERS]![(i % 2) as 0 | 1], p.screenName);
    assert.equal(shown.followers_count, followers.length, `${p.screenName} followers_count`);
    assert.equal(shown.friends_count, friends.length, `${p.screenName} friends_count`);
  }
  for (const c of agents) c.destroy();

  const stops = [await stop(a), await stop(b)];
  assert.deepEqual(stops.map((x) => x.code), [0, 0], 'both stop cleanly on SIGTERM');

  const { stdout } = await run(process.execPath, [BIN, 'recount', '--check', '--json', '--db', db.location]);
  const recount = JSON.parse(stdout) as { users_checked: number; drift: unknown[] };
  assert.deepEqual(recount.drift, [], 'recount --check finds no drift');
  assert.equal(recount.users_checked, USERS);

  const retries = stops.reduce((n, x) => n + x.retries, 0);
  t.diagnostic(`seed ${seed}; redis ${db.redisUrl ? 'on' : 'off'}`);
  t.diagnostic(`calls fired: ${CALLS} over 2 processes (${IN_FLIGHT} in flight) in ${seconds.toFixed(1)} s = ${(CALLS / seconds).toFixed(0)} calls/s`);
  t.diagnostic(`answers: ${[...statuses].sort().map(([k, n]) => `${k}=${n}`).join(' ')}`);
  t.diagnostic(`counts checked: ${USERS * 2} (${USERS} users, by recount and through the API): no drift; 5xx: 0`);
  t.diagnostic(`write transactions retried: ${retries} (process A ${stops[0]!.retries}, B ${stops[1]!.retries}); `
    + `at most ${Math.max(stops[0]!.most, stops[1]!.most)} attempts for one; Redis fallbacks: ${stops[0]!.fallbacks + stops[1]!.fallbacks}`);
});
