// `npm run bench`: roost against the no-storage server (a bare Fastify route that builds a page of
// the same shape in memory and answers JSON.stringify of it: the gate), the same answers served as
// pre-encoded bytes (the ceiling), and one commit per request for writes, all in one run; and
// roost again as `serve --workers 2` on the same file (reads and writes). Writes the table to
// docs/benchmarks.md (--out elsewhere, e.g. for a run on a small graph).
// The default graph, 1.15 M users and 20 M follows, gives its biggest account (followed by 90 % of
// users) more than a million followers. Options: --users N --follows M --seconds S (per run);
// --pg runs the PostgreSQL table instead (bench/pg-run.ts).
import { parseArgs } from 'node:util';
import { benchAccounts, benchReads, graphFile } from './graph.js';
import { measureActivity } from './activity.js';
import { measure, rssMb, type LoadSpec, type Measured } from './load.js';
import { loadNow, renderReport, targetLines, writeReport, type ActivityFigures, type ReadRow, type WriteRow } from './report.js';
import { runPg } from './pg-run.js';
import { startCommitPerRequest, startNoStorage, startRoost, type Served } from './servers.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1150000' },
    follows: { type: 'string', default: '20000000' },
    seconds: { type: 'string', default: '8' },
    out: { type: 'string', default: new URL('../docs/benchmarks.md', import.meta.url).pathname },
    pg: { type: 'boolean', default: false },
  },
});
const size = { users: Number(values.users), follows: Number(values.follows), seed: 1, celebrities: 5 };
const SECONDS = Number(values.seconds);
const READ_CONNECTIONS = 16;
const WRITE_CONNECTIONS = 64;
const say = (line: string) => process.stdout.write(`${line}\n`);

if (values.pg) {
  await runPg(size, SECONDS, say);
  process.exit(0);
}

const date = new Date().toISOString();
const loadAtStart = loadNow();
const { path, generatedSeconds } = graphFile(size, say);
const acc = await benchAccounts(path, WRITE_CONNECTIONS, 256);
const viewer = acc.actors[0]!;
const star = acc.star.id;
say(`graph ${path}: biggest account ${star} with ${acc.star.followers.toLocaleString('en')} followers`);

const READS = benchReads(acc);
const LAST_PAGE = `/1.1/followers/ids.json?user_id=${star}&count=5000&cursor=${acc.lastPageCursor}`;

async function read(server: Served, pathAndQuery: string, signed: boolean): Promise<Measured> {
  const spec: LoadSpec = { origin: server.origin, pid: server.pid, pids: server.pids, seconds: SECONDS, connections: READ_CONNECTIONS, get: { pathAndQuery, creds: signed ? viewer.creds : undefined } };
  await measure({ ...spec, seconds: 1 }); // warm caches and the JIT
  const m = await measure(spec);
  say(`  ${pathAndQuery.slice(0, 60)}: ${Math.round(m.reqPerSec)} req/s, p99 ${m.p99} ms, ${m.cpuMsPerResponse.toFixed(2)} ms CPU${m.non2xx + m.errors ? `, ${m.non2xx + m.errors} FAILED` : ''}`);
  return m;
}

async function writes(server: Served, signed: boolean): Promise<Measured> {
  const spec: LoadSpec = { origin: server.origin, pid: server.pid, pids: server.pids, seconds: SECONDS, connections: WRITE_CONNECTIONS, writes: { actors: acc.actors, targets: acc.targets, signed } };
  await measure({ ...spec, seconds: 1 });
  const m = await measure(spec);
  say(`  follow/unfollow: ${Math.round(m.reqPerSec)} writes/s, p99 ${m.p99} ms${m.non2xx + m.errors ? `, ${m.non2xx + m.errors} FAILED` : ''}`);
  return m;
}

async function withServer<T>(start: () => Promise<Served>, label: string, body: (s: Served) => Promise<T>): Promise<T> {
  say(label);
  const s = await start();
  try {
    return await body(s);
  } finally {
    await s.stop();
  }
}

const results = new Map<string, { roost?: Measured; workers?: Measured; gate?: Measured; bytes?: Measured }>(READS.map((r) => [r.name, {}]));
const writeRows: WriteRow[] = [];
let pages!: { first: Measured; last: Measured };
let rss!: { afterReads: number; peak: number };
let activity: ActivityFigures | undefined;

await withServer(() => startRoost(path, 'NORMAL'), 'roost (synchronous=NORMAL)', async (s) => {
  for (const r of READS) results.get(r.name)!.roost = await read(s, r.path, true);
  // The two pages back to back, under the same heap and caches: the first page's figure in the
  // reads table was taken first of all, before the other lists filled the caches.
  pages = { first: await read(s, READS[0]!.path, true), last: await read(s, LAST_PAGE, true) };
  const m = rssMb(s.pid);
  rss = { afterReads: m.rss, peak: m.peak };
  const w = await writes(s, true);
  writeRows.push({ mode: 'NORMAL', roost: w, perRequest: w });
  activity = await measureActivity(s, acc, SECONDS, WRITE_CONNECTIONS);
  say(`  activity stream: ${Math.round(activity.eventsPerSec)} events/s delivered, commit -> delivery p99 ${activity.p99} ms`);
});
let workerWrites!: Measured;
await withServer(() => startRoost(path, 'NORMAL', 2), 'roost --workers 2 (synchronous=NORMAL)', async (s) => {
  for (const r of READS) results.get(r.name)!.workers = await read(s, r.path, true);
  workerWrites = await writes(s, true);
});
await withServer(() => startRoost(path, 'FULL'), 'roost (synchronous=FULL)', async (s) => {
  writeRows.unshift({ mode: 'FULL', roost: await writes(s, true), perRequest: undefined as unknown as Measured });
  rss.peak = Math.max(rss.peak, rssMb(s.pid).peak);
});
for (const mode of ['stringify', 'bytes'] as const) {
  await withServer(() => startNoStorage(mode), `no-storage server: ${mode}`, async (s) => {
    for (const r of READS) results.get(r.name)![mode === 'stringify' ? 'gate' : 'bytes'] = await read(s, r.path, false);
  });
}
for (const row of writeRows) {
  await withServer(() => startCommitPerRequest(path, row.mode), `baseline: one commit per request, synchronous=${row.mode}`, async (s) => {
    row.perRequest = await writes(s, false);
  });
}

const reads: ReadRow[] = READS.map((r) => {
  const m = results.get(r.name)!;
  return { name: r.name, roost: m.roost!, workers: m.workers!, gate: m.gate!, bytes: m.bytes!, target: r.target };
});
const figures = {
  date, loadAtStart, seconds: SECONDS, readConnections: READ_CONNECTIONS, writeConnections: WRITE_CONNECTIONS,
  graph: { users: size.users, follows: size.follows, starFollowers: acc.star.followers, generatedSeconds },
  reads, pages, writes: writeRows, workerWrites, rss, activity,
};
writeReport(values.out!, figures);
say('');
say(renderReport(figures).split('\n').filter((l) => l.startsWith('|')).join('\n'));
say('');
for (const line of targetLines(figures)) say(line);
say(`\nwritten to ${values.out}`);
