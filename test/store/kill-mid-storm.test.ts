// Fast must not mean lossy. A roost process on a SQLite file takes a storm of concurrent follows,
// unfollows, blocks, unblocks and accepts, and is killed with SIGKILL in the middle of it. After a
// restart on the same file, every write answered 200 is there (or superseded by a later answered
// write on the same pair), the one write in flight on a pair is there whole or not at all, the
// forward and backward edge tables agree, and `bin/roost recount --check` finds no drift.
// Each pair of users is written by one lane of sequential requests, so its expected state is
// known: the model below replays the lane's answered requests. Run in both synchronous modes,
// and with `serve --workers 2`, where one worker is killed while the other goes on writing the
// same file and the primary starts a replacement.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { createApp, createToken, createUser } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config.js';
import { closeServices, createServices } from '../../src/services.js';
import { signedRequest, type Credentials } from '../support/sign.js';
import { prng } from '../support/prng.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/roost', import.meta.url).pathname;
const LANES = 48;
/** SIGKILL once this many writes have been answered 200 (the storm is still going then). */
const KILL_AFTER = 400;

type Op = 'follow' | 'unfollow' | 'block' | 'unblock' | 'accept';
interface PairState { following: boolean; requested: boolean; blocking: boolean }

/** What each write does to the pair (a -> b); a refused write changes nothing. */
function apply(s: PairState, op: Op, protectedTarget: boolean): PairState {
  switch (op) {
    case 'follow': {
      const lifted = { ...s, blocking: false }; // v1.1 follow lifts the caller's own block
      if (s.following) return lifted;
      if (protectedTarget) return s.requested ? s : { ...lifted, requested: true }; // already requested: refused (403)
      return { ...lifted, following: true };
    }
    case 'unfollow': return { ...s, following: false, requested: false };
    case 'block': return { following: false, requested: false, blocking: true };
    case 'unblock': return { ...s, blocking: false };
    case 'accept': return s.requested ? { ...s, following: true, requested: false } : s;
  }
}

const PATHS: Record<Op, string> = {
  follow: '/1.1/friendships/create.json',
  unfollow: '/1.1/friendships/destroy.json',
  block: '/1.1/blocks/create.json',
  unblock: '/1.1/blocks/destroy.json',
  accept: '/1.1/friendships/accept.json',
};

interface Person { id: bigint; creds: Credentials }
interface Lane { a: Person; b: Person; protectedTarget: boolean; answered: Op[]; inFlight: Op | null; unexpected: string[] }

interface Proc { child: ChildProcessWithoutNullStreams; url: string; out: () => string; workerPids: number[] }

async function serve(db: string, sync: string, workers = 1): Promise<Proc> {
  const env = { ...process.env, ROOST_SQLITE_SYNC: sync, ROOST_LOG_LEVEL: 'warn', ROOST_FOLLOWS_PER_DAY: 'off', ROOST_FOLLOWS_PER_APP_PER_DAY: 'off', ROOST_FOLLOWING_CAP: 'off' };
  delete (env as Record<string, string | undefined>).REDIS_URL;
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db, '--no-rate-limits', '--workers', String(workers)], { env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d; });
  child.stderr.on('data', (d: Buffer) => { out += d; });
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /roost serving (\S+)/.exec(out);
      if (m) { child.stdout.off('data', onData); resolve(m[1]!); }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  const pids = /\(pids ([\d ]+)\)/.exec(out)?.[1];
  return { child, url, out: () => out, workerPids: pids ? pids.split(' ').map(Number) : [] };
}

async function setUp(db: string, sync: 'NORMAL' | 'FULL'): Promise<Lane[]> {
  const s = await createServices(loadConfig({ db, redisUrl: null, synchronous: sync }, {}));
  try {
    const app = await createApp(s.store, s.ids, s.clock, 'storm');
    const person = async (name: string, isProtected: boolean): Promise<Person> => {
      const user = await createUser(s.store, s.ids, s.clock, { screenName: name, protected: isProtected });
      const tok = await createToken(s.store, s.clock, app, user);
      return { id: user.id, creds: { consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: tok.token, tokenSecret: tok.secret } };
    };
    const lanes: Lane[] = [];
    for (let i = 0; i < LANES; i++) {
      const protectedTarget = i % 3 === 0;
      lanes.push({ a: await person(`src${i}`, false), b: await person(`dst${i}`, protectedTarget), protectedTarget, answered: [], inFlight: null, unexpected: [] });
    }
    return lanes;
  } finally {
    await closeServices(s);
  }
}

/** One lane: sequential writes on its pair until the server stops answering. */
async function drive(url: string, lane: Lane, seed: number, acked: { n: number; stop?: boolean }): Promise<void> {
  const rand = prng(seed);
  const ops: Op[] = lane.protectedTarget ? ['follow', 'follow', 'accept', 'accept', 'unfollow', 'block', 'unblock'] : ['follow', 'follow', 'unfollow', 'block', 'unblock'];
  while (!acked.stop) {
    const op = ops[Math.floor(rand() * ops.length)]!;
    const [actor, other] = op === 'accept' ? [lane.b, lane.a] : [lane.a, lane.b];
    const req = signedRequest(actor.creds, { method: 'POST', origin: url, path: PATHS[op], form: [['user_id', other.id.toString()]] });
    lane.inFlight = op;
    let status: number;
    try {
      // Node's cluster can strand a connection it was handing to the worker that died: nobody
      // answers it (docs/scaling.md), so a request gives up after 10 s rather than undici's 300.
      const res = await fetch(req.url, { ...req.init, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      return; // killed, or stranded: this op's outcome is unknown
    }
    lane.inFlight = null;
    if (status === 200) {
      lane.answered.push(op);
      acked.n++;
    } else if (status !== 403 && status !== 404) {
      lane.unexpected.push(`${op}: ${status}`); // 403: already requested; 404: no pending request
    }
  }
}

function stored(db: Database.Database, a: bigint, b: bigint): PairState {
  const has = (kind: number) => db.prepare('SELECT 1 FROM edges_fwd WHERE kind = ? AND src = ? AND dst = ?').get(kind, a, b) !== undefined;
  return { following: has(0), requested: has(1), blocking: has(2) };
}

/** A status through a connection of its own (so the cluster hands it to the next worker). */
function statusOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false, headers: { connection: 'close' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); })
      .on('error', reject).end();
  });
}

/** One worker of two is killed mid-storm; the other goes on, the primary replaces the dead one, then all stop. */
async function killOneWorker(first: Proc, acked: { n: number; stop?: boolean }, storm: Promise<unknown>): Promise<void> {
  assert.equal(first.workerPids.length, 2, first.out());
  process.kill(first.workerPids[0]!, 'SIGKILL');
  const atKill = acked.n;
  while (!/starting another/.test(first.out())) await new Promise((r) => setTimeout(r, 20));
  while (acked.n < atKill + 200) await new Promise((r) => setTimeout(r, 5)); // the survivor still writes
  acked.stop = true;
  await storm;
  await new Promise((r) => setTimeout(r, 1500)); // the replacement starts after a second
  // Four connections in turn reach both the survivor and the replacement.
  for (let i = 0; i < 4; i++) assert.equal(await statusOnNewConnection(`${first.url}/1.1/account/verify_credentials.json`), 400, `connection ${i}`);
  const exited = new Promise<number | null>((r) => first.child.once('exit', (code) => r(code)));
  first.child.kill('SIGTERM');
  assert.equal(await exited, 0, first.out());
}

async function crashRound(sync: 'NORMAL' | 'FULL', workers = 1) {
  const dir = mkdtempSync(join(tmpdir(), 'roost-crash-'));
  const db = join(dir, 'crash.db');
  try {
    const lanes = await setUp(db, sync);
    const first = await serve(db, sync, workers);
    const acked: { n: number; stop?: boolean } = { n: 0 };
    const storm = Promise.all(lanes.map((lane, i) => drive(first.url, lane, i + 1, acked)));
    const exited = new Promise((r) => first.child.once('exit', r));
    while (acked.n < KILL_AFTER) await new Promise((r) => setTimeout(r, 5));
    if (workers > 1) {
      await killOneWorker(first, acked, storm);
    } else {
      first.child.kill('SIGKILL');
      await exited;
      await storm;
    }
    assert.ok(lanes.some((l) => l.inFlight !== null), 'the kill landed mid-storm, with writes in flight');
    assert.deepEqual(lanes.flatMap((l) => l.unexpected), [], 'every answer before the kill was 200 or a refusal');

    const second = await serve(db, sync);
    try {
      const check = new Database(db, { readonly: true, fileMustExist: true });
      check.defaultSafeIntegers(true);
      let inFlightApplied = 0;
      for (const lane of lanes) {
        let expected: PairState = { following: false, requested: false, blocking: false };
        for (const op of lane.answered) expected = apply(expected, op, lane.protectedTarget);
        const found = stored(check, lane.a.id, lane.b.id);
        const withInFlight = lane.inFlight ? apply(expected, lane.inFlight, lane.protectedTarget) : expected;
        const ok = [expected, withInFlight].some((s) => JSON.stringify(s) === JSON.stringify(found));
        assert.ok(ok, `pair ${lane.a.id}->${lane.b.id}: stored ${JSON.stringify(found)}, answered ${lane.answered.join(',')}, `
          + `in flight ${lane.inFlight}: expected ${JSON.stringify(expected)} or ${JSON.stringify(withInFlight)}`);
        if (JSON.stringify(withInFlight) !== JSON.stringify(expected) && JSON.stringify(found) === JSON.stringify(withInFlight)) inFlightApplied++;
        assert.deepEqual(stored(check, lane.b.id, lane.a.id), { following: false, requested: false, blocking: false }, 'nothing written the other way');
      }
      const mismatched = check.prepare(`SELECT count(*) AS n FROM edges_fwd f FULL JOIN edges_bwd b
        ON b.kind = f.kind AND b.dst = f.dst AND b.seq = f.seq AND b.src = f.src WHERE f.seq IS NULL OR b.seq IS NULL`).get() as { n: bigint };
      assert.equal(mismatched.n, 0n, 'every forward edge has its backward twin and no other');
      const misstated = check.prepare(`SELECT (SELECT count(*) FROM edges_fwd e JOIN users u ON u.id = e.dst WHERE e.hidden <> (u.state <> 0))
        + (SELECT count(*) FROM edges_bwd e JOIN users u ON u.id = e.src WHERE e.hidden <> (u.state <> 0)) AS n`).get() as { n: bigint };
      assert.equal(misstated.n, 0n, 'every edge row carries the state of the user it names');
      check.close();
      const answered = lanes.reduce((n, l) => n + l.answered.length, 0);
      process.stdout.write(`# ${sync}${workers > 1 ? `, ${workers} workers` : ''}: ${answered} writes answered 200 before SIGKILL, ${lanes.filter((l) => l.inFlight).length} in flight (${inFlightApplied} of them committed)\n`);
    } finally {
      const stopped = new Promise((r) => second.child.once('exit', r));
      second.child.kill('SIGTERM');
      await stopped;
    }
    const { stdout } = await run(process.execPath, [BIN, 'recount', '--check', '--json', '--db', db]);
    const report = JSON.parse(stdout) as { drift: unknown[]; users_checked: number };
    assert.equal(report.users_checked, LANES * 2);
    assert.deepEqual(report.drift, [], 'recount finds no drift');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('kill -9 in the middle of a write storm', () => {
  for (const sync of ['FULL', 'NORMAL'] as const) {
    it(`synchronous=${sync}: every acknowledged write survives, nothing is half-applied, no drift`, () => crashRound(sync));
  }
  it('serve --workers 2, one worker killed: the other goes on, it is replaced, every acknowledged write survives', () => crashRound('NORMAL', 2));
});
