// docs/benchmarks.md from one run's figures: the machine, the graph, and every ratio with its target.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { Measured } from './load.js';

export interface ReadRow { name: string; roost: Measured; workers: Measured; gate: Measured; bytes: Measured; target: number | null }
export interface WriteRow { mode: 'FULL' | 'NORMAL'; roost: Measured; perRequest: Measured }
export interface RunFigures {
  date: string;
  loadAtStart: number[];
  graph: { users: number; follows: number; starFollowers: number; generatedSeconds: number | null };
  seconds: number;
  readConnections: number;
  writeConnections: number;
  reads: ReadRow[];
  pages: { first: Measured; last: Measured };
  writes: WriteRow[];
  /** follow/unfollow against `serve --workers 2`, synchronous=NORMAL */
  workerWrites: Measured;
  rss: { afterReads: number; peak: number };
  activity?: ActivityFigures;
}

/** Webhook delivery to a local receiver under the write load (bench/activity.ts). */
export interface WebhookFigures {
  writes: Measured;
  seconds: number;
  connections: number;
  /** deliveries received while the writers ran, per second, and in all */
  eventsPerSec: number;
  duringLoad: number;
  /** every delivery, the writers' last included */
  delivered: number;
  /** from the writers stopping to the last delivery */
  drainMs: number;
  p50: number;
  p99: number;
  max: number;
}

/** The Activity stream under write load (bench/activity.ts). */
export interface ActivityFigures {
  /** the graph, when measured alone (bench/activity.ts) rather than in the full run */
  graph?: { users: number; follows: number };
  subscriptions: number;
  seconds: number;
  connections: number;
  /** the follow/unfollow load that ran meanwhile */
  writes: Measured;
  /** the same load with no stream open, just before */
  writesAlone: Measured;
  /** one writer at a time, with the stream open: the delivery delay without queueing */
  single: { writes: Measured; eventsPerSec: number; delivered: number; p50: number; p99: number; max: number };
  /** the 1-minute load average when the measurement started */
  load: number;
  eventsPerSec: number;
  delivered: number;
  /** commit to delivery, ms */
  p50: number;
  p99: number;
  max: number;
  /** the same subscriptions pointed at a webhook (absent in reports written before it was measured) */
  webhook?: WebhookFigures;
  /** the same with one writer: the delivery delay without queueing */
  webhookSingle?: WebhookFigures;
}

const int = (n: number) => Math.round(n).toLocaleString('en');
const ms = (n: number) => (n >= 10 ? n.toFixed(0) : n.toFixed(1));
const cell = (m: Measured) => `${int(m.reqPerSec)} req/s · p50 ${ms(m.p50)} · p99 ${ms(m.p99)} · ${m.cpuMsPerResponse.toFixed(2)} ms CPU`
  + (m.non2xx + m.errors > 0 ? ` · **${m.non2xx + m.errors} failed**` : '');
const met = (ok: boolean) => (ok ? 'met' : '**missed**');

export function targetLines(f: RunFigures): string[] {
  const lines = f.reads.filter((r) => r.target !== null).map((r) => {
    const ratio = r.roost.reqPerSec / r.gate.reqPerSec;
    return `- ${r.name}: ${ratio.toFixed(2)}x the no-storage server (target >= ${r.target}x): ${met(ratio >= r.target!)}`;
  });
  const pageRatio = f.pages.last.mean / f.pages.first.mean;
  lines.push(`- last page / first page of a ${int(f.graph.starFollowers)}-follower list: ${pageRatio.toFixed(2)}x the mean latency (target <= 1.2x): ${met(pageRatio <= 1.2)}`);
  for (const w of f.writes) {
    const ratio = w.roost.reqPerSec / w.perRequest.reqPerSec;
    lines.push(`- follow/unfollow, synchronous=${w.mode}: ${int(w.roost.reqPerSec)} writes/s, ${ratio.toFixed(1)}x one commit per request`
      + (w.mode === 'FULL' ? ` (targets >= 5,000/s and >= 2x): ${met(w.roost.reqPerSec >= 5000 && ratio >= 2)}` : ''));
  }
  const slowest = Math.min(...f.reads.map((r) => r.workers.reqPerSec / r.roost.reqPerSec));
  lines.push(`- reads with --workers 2: at least ${slowest.toFixed(2)}x one process on every endpoint (target >= 1.7x): ${met(slowest >= 1.7)}`);
  const normal = f.writes.find((w) => w.mode === 'NORMAL');
  if (normal) {
    const ratio = f.workerWrites.reqPerSec / normal.roost.reqPerSec;
    lines.push(`- writes with --workers 2: ${ratio.toFixed(2)}x one process (target >= 1x): ${met(ratio >= 1)}`);
  }
  lines.push(`- roost's memory: ${int(f.rss.afterReads)} MB resident after the reads, ${int(f.rss.peak)} MB at peak (target <= 300 MB after the run): ${met(f.rss.afterReads <= 300)}`);
  return lines;
}

const ACTIVITY_HEADING = '## Activity stream';

export function activitySection(a: ActivityFigures, date = new Date().toISOString()): string[] {
  return [
    ACTIVITY_HEADING,
    '',
    `One reader holds \`GET /2/activity/stream\` with ${int(a.subscriptions)} subscriptions (follow.follow and follow.unfollow, inbound, of every`,
    `account the writers follow) while ${a.connections} connections follow and unfollow at full speed for ${a.seconds} s, as in Writes`,
    '(synchronous=NORMAL). Delivery is measured from the ms stamped in the event\'s id inside the write transaction to the',
    'line reaching the reader, both on this machine\'s clock (1 ms resolution).'
      + (a.graph ? ` Measured alone (bench/activity.ts, ${date}) on a ${int(a.graph.users)}-user, ${int(a.graph.follows)}-follow graph.` : ''),
    '',
    `The load average was ${a.load.toFixed(2)} on ${cpus().length} cores when it started${a.load > cpus().length ? ' (a busy machine: every figure here is low)' : ''}.`,
    '',
    '| writers | writes, no stream open | writes, stream open | events delivered | commit → delivery |',
    '|---|---|---|---|---|',
    `| ${a.connections} | ${cell(a.writesAlone)} | ${cell(a.writes)} | ${int(a.eventsPerSec)} events/s (${int(a.delivered)} in ${a.seconds} s) | p50 ${a.p50} ms · p99 ${a.p99} ms · max ${a.max} ms |`,
    `| 1 | | ${cell(a.single.writes)} | ${int(a.single.eventsPerSec)} events/s (${int(a.single.delivered)} in ${a.seconds} s) | p50 ${a.single.p50} ms · p99 ${a.single.p99} ms · max ${a.single.max} ms |`,
    '',
    `- p99 commit → delivery, one writer: ${a.single.p99} ms (target < 50 ms): ${met(a.single.p99 < 50)}`,
    `- p99 commit → delivery, ${a.connections} writers at full speed: ${a.p99} ms (target < 50 ms): ${met(a.p99 < 50)}`,
    '',
    ...(a.webhook && a.webhookSingle ? webhookLines(a.webhook, a.webhookSingle) : []),
  ];
}

function webhookLines(w: WebhookFigures, one: WebhookFigures): string[] {
  const behind = w.delivered - w.duringLoad;
  const row = (x: WebhookFigures) => `| ${x.connections} | ${cell(x.writes)} | ${int(x.eventsPerSec)} events/s (${int(x.duringLoad)} in ${x.seconds} s) | ${int(x.delivered - x.duringLoad)} more, drained in ${int(x.drainMs)} ms | p50 ${x.p50} ms · p99 ${x.p99} ms · max ${x.max} ms |`;
  return [
    '### Webhook delivery',
    '',
    `The same subscriptions, each given a webhook on a local receiver (a node:http process of its own answering 200 at once), with no stream`,
    `open; the writers run for ${w.seconds} s. Every delivery is one signed POST of one event.`,
    '',
    '| writers | writes | events delivered while writing | after the writers stopped | commit → delivery |',
    '|---|---|---|---|---|',
    row(w),
    row(one),
    '',
    `- delivery keeps up with ${w.connections} writers (a backlog of under a second of events when they stop): ${met(behind <= w.eventsPerSec)}`,
    `- p99 commit → webhook delivery, one writer: ${one.p99} ms (target < 50 ms): ${met(one.p99 < 50)}`,
    `- p99 commit → webhook delivery, ${w.connections} writers at full speed: ${w.p99} ms (target < 50 ms): ${met(w.p99 < 50)}`,
    '',
  ];
}

/** Puts the Activity section into an existing report, replacing the one there (the rest kept as it was). */
export function writeActivitySection(path: string, a: ActivityFigures): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const lines = text.split('\n');
  const start = lines.indexOf(ACTIVITY_HEADING);
  const section = activitySection(a);
  if (start < 0) {
    writeFileSync(path, `${text.replace(/\n*$/, '\n\n')}${section.join('\n')}`);
    return;
  }
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end < 0) end = lines.length;
  writeFileSync(path, [...lines.slice(0, start), ...section, ...lines.slice(end)].join('\n').replace(/\n*$/, '\n'));
}

export function renderReport(f: RunFigures): string {
  const cpu = cpus();
  const out: string[] = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); figures from one run, so the ratios compare servers on the same',
    'machine at the same moment. Absolute numbers drift with the machine and its load; the ratios are the point.',
    '',
    `- date: ${f.date}`,
    `- machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${int(totalmem() / 2 ** 30)} GB; Node ${process.version}; ${process.platform}`,
    `- load average when the run started: ${f.loadAtStart.map((x) => x.toFixed(2)).join(' ')}${f.loadAtStart[0]! > cpu.length * 0.5 ? ' (the machine was busy: absolute figures are low)' : ''}`,
    `- graph: ${int(f.graph.users)} users, ${int(f.graph.follows)} follows (bin/roost generate --seed 1)`
      + (f.graph.generatedSeconds !== null ? `, generated in ${int(f.graph.generatedSeconds)} s this run` : ', reused from bench/.data/'),
    `- the biggest account has ${int(f.graph.starFollowers)} followers; the lists below are its followers`,
    `- each figure: autocannon for ${f.seconds} s after a 1 s warm-up, ${f.readConnections} connections for reads, ${f.writeConnections} for writes;`
      + ' roost requests signed with OAuth 1.0a (a fresh nonce each); CPU is the server processes\' user + system time divided by their responses',
    '',
    '## Reads',
    '',
    'roost: `bin/roost serve`, rate limits off, every request signed. no-storage: a bare Fastify route per endpoint that',
    'builds a page of the same shape in memory on every request (the same number of 64-bit ids, or user objects with the',
    'same fields) and answers `JSON.stringify` of it, with no storage and no authentication (bench/no-storage-server.ts):',
    'what HTTP plus encoding cost here, the gate. pre-encoded: the same answers encoded once and served as bytes (the',
    'ceiling). Latencies in ms.',
    '',
    '| endpoint | roost | no-storage (gate) | pre-encoded (ceiling) | roost / no-storage | roost / pre-encoded |',
    '|---|---|---|---|---|---|',
    ...f.reads.map((r) => `| ${r.name} | ${cell(r.roost)} | ${cell(r.gate)} | ${cell(r.bytes)} | ${(r.roost.reqPerSec / r.gate.reqPerSec).toFixed(2)}x | ${(r.roost.reqPerSec / r.bytes.reqPerSec).toFixed(2)}x |`),
    '',
    '### Two workers on one SQLite file',
    '',
    '`bin/roost serve --workers 2`: two processes reading the same WAL file, the primary keeping nonces for both',
    '(no Redis). CPU counts the primary and both workers; the load generator runs on the same machine.',
    '',
    '| endpoint | roost, one process | roost, 2 workers | 2 workers / one |',
    '|---|---|---|---|',
    ...f.reads.map((r) => `| ${r.name} | ${cell(r.roost)} | ${cell(r.workers)} | ${(r.workers.reqPerSec / r.roost.reqPerSec).toFixed(2)}x |`),
    '',
    '## Deep pages',
    '',
    `| followers/ids (5,000) of ${int(f.graph.starFollowers)} followers | roost |`,
    '|---|---|',
    `| first page | ${cell(f.pages.first)} · mean ${ms(f.pages.first.mean)} |`,
    `| last page | ${cell(f.pages.last)} · mean ${ms(f.pages.last.mean)} |`,
    '',
    '## Writes',
    '',
    'Each connection is its own signed user, alternating follow and unfollow of its own targets; every write is a',
    'full graph transaction with exact counts. The baseline commits one transaction per request in the same mode',
    '(the same edge and count statements, without authentication, graph rules or a rendered reply).',
    '',
    '| synchronous | roost (group commit) | one commit per request | ratio |',
    '|---|---|---|---|',
    ...f.writes.map((w) => `| ${w.mode} | ${cell(w.roost)} | ${cell(w.perRequest)} | ${(w.roost.reqPerSec / w.perRequest.reqPerSec).toFixed(1)}x |`),
    `| NORMAL, \`--workers 2\` | ${cell(f.workerWrites)} | | |`,
    '',
    ...(f.activity ? activitySection(f.activity, f.date) : []),
    '## Targets',
    '',
    ...targetLines(f),
    '',
  ];
  return out.join('\n');
}

export function writeReport(path: string, f: RunFigures): void {
  writeFileSync(path, renderReport(f));
}

export const loadNow = () => loadavg();

/** The middle value (the upper one of an even count). */
export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
