// npm run soak -- --minutes N --rate R: steady mixed traffic against a started roost, with
// throughput, p99, status counts, RSS and open fds over time. Fails (exit 1) on any 5xx or
// connection error, on count drift after the run, or on unbounded growth of RSS or fds.
// What it does and how to read it: docs/soak.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { drive, type Outcome } from './soak/driver.js';
import { recountCheck, startChild, type ChildServer } from './soak/server.js';
import { growth, newInterval, percentile, sampleProcess, type Interval } from './soak/stats.js';
import { seed } from './soak/seed.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    rate: { type: 'string', default: '100' },
    clients: { type: 'string', default: '8' },
    users: { type: 'string', default: '200' },
    sample: { type: 'string' },
    db: { type: 'string' },
    url: { type: 'string' },
    pid: { type: 'string' },
    'max-growth': { type: 'string', default: '15' },
    'growth-floor-mb': { type: 'string', default: '25' },
    'keep-db': { type: 'boolean', default: false },
  },
});

function num(name: string, raw: string | undefined, min: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) {
    process.stderr.write(`soak: --${name} must be a number >= ${min}, got "${raw}"\n`);
    process.exit(64);
  }
  return n;
}

const minutes = num('minutes', args.minutes, 0.05);
const rate = num('rate', args.rate, 1);
const clients = Math.floor(num('clients', args.clients, 1));
const userCount = Math.floor(num('users', args.users, 2));
// about 30 rows in the table, between 5 s and 60 s apart
const sampleSec = args.sample ? num('sample', args.sample, 1) : Math.min(60, Math.max(5, Math.round((minutes * 60) / 30)));
const maxGrowth = num('max-growth', args['max-growth'], 0);
const growthFloor = num('growth-floor-mb', args['growth-floor-mb'], 0);
if (args.url && !args.db) {
  process.stderr.write('soak: --url needs --db, the database that server uses (for seeding and the recount)\n');
  process.exit(64);
}

const dir = mkdtempSync(join(tmpdir(), 'roost-soak-'));
const db = args.db ?? join(dir, 'soak.db');
const log = (line: string) => process.stdout.write(`${line}\n`);

log(`soak: ${minutes} min at ${rate} req/s over ${clients} keep-alive connections, ${userCount} users, a sample every ${sampleSec} s`);
const users = await seed(db, userCount);
let server: ChildServer | null = null;
if (!args.url) server = await startChild(db, join(dir, 'server.log'));
const url = args.url ?? server!.url;
const pid = server?.child.pid ?? (args.pid ? Number(args.pid) : null);
let serverExited = false;
server?.child.once('exit', () => { serverExited = true; });
log(`soak: server ${url}${pid ? ` (pid ${pid})` : ''}, database ${db}${server ? `, log ${join(dir, 'server.log')}` : ''}`);

const intervals: Interval[] = [];
let current = newInterval();
const totals = new Map<string, number>();
const byName = new Map<string, Map<number, number>>();
const fiveHundreds: Outcome[] = [];
const allLatencies: number[] = [];

function onOutcome(o: Outcome): void {
  current.requests++;
  current.latencies.push(o.ms);
  const key = o.status === 0 ? 'conn-error' : `${o.status}`;
  current.statuses.set(key, (current.statuses.get(key) ?? 0) + 1);
  const detail = o.code === undefined ? key : `${key}/${o.code}`;
  totals.set(detail, (totals.get(detail) ?? 0) + 1);
  const n = byName.get(o.req.name) ?? new Map<number, number>();
  n.set(o.status, (n.get(o.status) ?? 0) + 1);
  byName.set(o.req.name, n);
  if ((o.status >= 500 || o.status === 0) && fiveHundreds.length < 20) fiveHundreds.push(o);
}

const pad = (s: string | number, w: number) => String(s).padStart(w);
const statusesOf = (m: Map<string, number>, pred: (k: string) => boolean) => [...m].filter(([k]) => pred(k)).reduce((s, [, v]) => s + v, 0);
log(['  time', 'req/s', 'p50 ms', 'p99 ms', 'max ms', '2xx', '4xx', '5xx', 'conn err', 'RSS MB', 'fds'].map((c, i) => pad(c, i === 0 ? 6 : 8)).join(' '));

const started = Date.now();
let last = started;
function closeInterval(): void {
  const now = Date.now();
  current.at = (now - started) / 1000;
  current.seconds = (now - last) / 1000;
  last = now;
  Object.assign(current, pid ? sampleProcess(pid) : {});
  const sorted = current.latencies.sort((a, b) => a - b);
  for (const l of sorted) allLatencies.push(l);
  const s = current.statuses;
  log([
    pad(`${Math.round(current.at)}s`, 6), pad((current.requests / current.seconds).toFixed(1), 8),
    pad(percentile(sorted, 50).toFixed(1), 8), pad(percentile(sorted, 99).toFixed(1), 8), pad((sorted.at(-1) ?? 0).toFixed(1), 8),
    pad(statusesOf(s, (k) => k.startsWith('2')), 8), pad(statusesOf(s, (k) => k.startsWith('4')), 8),
    pad(statusesOf(s, (k) => k.startsWith('5')), 8), pad(s.get('conn-error') ?? 0, 8),
    pad(current.rssMb?.toFixed(1) ?? '-', 8), pad(current.fds ?? '-', 8),
  ].join(' '));
  current.latencies = [];
  intervals.push(current);
  current = newInterval();
}

const until = started + minutes * 60_000;
const ticker = setInterval(closeInterval, sampleSec * 1000);
const { late } = await drive({ url, users, rate, clients, until, onOutcome });
clearInterval(ticker);
if (current.requests > 0 && (Date.now() - last < (sampleSec * 1000) / 4 && intervals.length > 0)) {
  // the answers still in flight when the time was up: too few for a row of their own
  const prev = intervals.at(-1)!;
  prev.requests += current.requests;
  for (const [k, v] of current.statuses) prev.statuses.set(k, (prev.statuses.get(k) ?? 0) + v);
  for (const l of current.latencies) allLatencies.push(l);
} else if (current.requests > 0) {
  closeInterval();
}
const elapsed = (Date.now() - started) / 1000;

const exitCode = server ? await server.stop() : null;
const drift = recountCheck(db);

// ---------------------------------------------------------------------------------------------
const failures: string[] = [];
const total = intervals.reduce((s, i) => s + i.requests, 0);
allLatencies.sort((a, b) => a - b);
log('');
log(`requests ${total} in ${elapsed.toFixed(0)} s: ${(total / elapsed).toFixed(1)} req/s (asked for ${rate}); ${late} sent late`);
log(`latency p50 ${percentile(allLatencies, 50).toFixed(1)} ms, p99 ${percentile(allLatencies, 99).toFixed(1)} ms, max ${(allLatencies.at(-1) ?? 0).toFixed(1)} ms`);
log(`answers by status/code: ${[...totals].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
log('by request:');
for (const [name, m] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
  log(`  ${name.padEnd(36)} ${[...m].sort(([a], [b]) => a - b).map(([k, v]) => `${k || 'conn-error'}: ${v}`).join(', ')}`);
}
const rss = intervals.map((i) => i.rssMb).filter((x): x is number => x !== null);
const fds = intervals.map((i) => i.fds).filter((x): x is number => x !== null);
if (rss.length > 0) log(`RSS: ${rss[0]!.toFixed(1)} MB after the first interval, ${rss.at(-1)!.toFixed(1)} MB at the end, peak ${Math.max(...rss).toFixed(1)} MB`);
if (fds.length > 0) log(`open fds: ${fds[0]} after the first interval, ${fds.at(-1)} at the end, peak ${Math.max(...fds)}`);

const bad = statusesOf(new Map([...totals].map(([k, v]) => [k.split('/')[0]!, v])), (k) => k.startsWith('5') || k === 'conn-error');
if (bad > 0) {
  failures.push(`${bad} answers were 5xx or connection errors`);
  for (const o of fiveHundreds) log(`  ${o.status || 'conn-error'} ${o.req.method} ${o.req.path.slice(0, 120)}: ${o.body.slice(0, 200)}`);
}
if (serverExited && server && exitCode !== 0) failures.push(`the server exited with ${exitCode}`);
log(`recount --check: ${drift.users_checked} users, ${drift.drift.length} drifted`);
if (!drift.ok) failures.push(`counts drifted: ${JSON.stringify(drift.drift).slice(0, 400)}`);
const mem = growth(rss, maxGrowth, growthFloor, 'MB');
log(`RSS growth: ${mem.detail}`);
if (mem.grew) failures.push(`RSS kept growing: ${mem.detail}`);
const fdGrowth = growth(fds, maxGrowth, clients + 10, 'fds');
log(`fd growth: ${fdGrowth.detail}`);
if (fdGrowth.grew) failures.push(`open fds kept growing: ${fdGrowth.detail}`);

if (!args['keep-db'] && !args.db && failures.length === 0) rmSync(dir, { recursive: true, force: true });
if (failures.length > 0) {
  log(`\nFAIL\n${failures.map((f) => `- ${f}`).join('\n')}${server ? `\n(server log and database kept in ${dir})` : ''}`);
  process.exit(1);
}
log('\nPASS: no 5xx, no drift, no unbounded growth');
