// `serve --workers 2` against one process on the same SQLite file, and nothing else: rounds that
// alternate the two (one process, then two workers, and again), so a load that comes and goes on
// a shared machine weighs on both alike; the median of the rounds is reported with the load
// average. Options: --users N --follows M (the graph, as bench/run.ts; keep it small) --seconds S
// (per measurement) --rounds R.
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { benchAccounts, graphFile } from './graph.js';
import { measure, type LoadSpec, type Measured } from './load.js';
import { startRoost, type Served } from './servers.js';
import { median } from './report.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '20000' },
    follows: { type: 'string', default: '200000' },
    seconds: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
  },
});
const SECONDS = Number(values.seconds);
const say = (line: string) => process.stdout.write(`${line}\n`);
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

const { path } = graphFile({ users: Number(values.users), follows: Number(values.follows), seed: 1, celebrities: 5 }, say);
const acc = await benchAccounts(path, 64, 256);
const viewer = acc.actors[0]!;
const star = acc.star.id;
const READS = [
  { name: 'users/show', path: `/1.1/users/show.json?user_id=${star}` },
  { name: 'followers/ids (5,000)', path: `/1.1/followers/ids.json?user_id=${star}&count=5000` },
  { name: 'friendships/lookup (100)', path: `/1.1/friendships/lookup.json?user_id=${acc.sample.join(',')}` },
];
const NAMES = [...READS.map((r) => r.name), 'follow/unfollow'];

/** Responses a second, and CPU ms per response over every serving process. */
type Figure = [perSecond: number, cpuMs: number];

async function once(s: Served): Promise<Figure[]> {
  const out: Figure[] = [];
  const base = { origin: s.origin, pid: s.pid, pids: s.pids, seconds: SECONDS };
  for (const r of READS) {
    const spec: LoadSpec = { ...base, connections: 16, get: { pathAndQuery: r.path, creds: viewer.creds } };
    await measure({ ...spec, seconds: 1 });
    out.push(checked(await measure(spec), r.name));
  }
  const spec: LoadSpec = { ...base, connections: 64, writes: { actors: acc.actors, targets: acc.targets, signed: true } };
  await measure({ ...spec, seconds: 1 });
  out.push(checked(await measure(spec), 'writes'));
  return out;
}

function checked(m: Measured, name: string): Figure {
  if (m.non2xx + m.errors > 0) say(`  ${name}: ${m.non2xx + m.errors} FAILED`);
  return [m.reqPerSec, m.cpuMsPerResponse];
}

const runs: Record<'one' | 'two', Figure[][]> = { one: [], two: [] };
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const [key, workers] of [['one', 1], ['two', 2]] as const) {
    const s = await startRoost(path, 'NORMAL', workers);
    try {
      const figures = await once(s);
      runs[key].push(figures);
      say(`round ${round}, ${workers === 1 ? 'one process' : '2 workers  '} (load ${load()}): ${figures.map(([f, c], i) => `${NAMES[i]} ${Math.round(f)}/s ${c.toFixed(2)} ms CPU`).join(', ')}`);
    } finally {
      await s.stop();
    }
  }
}

say('');
say(`| ${acc.star.followers.toLocaleString('en')}-follower graph, ${SECONDS} s each, median of ${values.rounds} rounds | one process | 2 workers | ratio | CPU ms per response, one / 2 workers |`);
say('|---|---|---|---|---|');
NAMES.forEach((name, i) => {
  const [one, two] = (['one', 'two'] as const).map((k) => median(runs[k].map((r) => r[i]![0])));
  const [cpuOne, cpuTwo] = (['one', 'two'] as const).map((k) => median(runs[k].map((r) => r[i]![1])));
  say(`| ${name} | ${Math.round(one!)}/s | ${Math.round(two!)}/s | ${(two! / one!).toFixed(2)}x | ${cpuOne!.toFixed(2)} / ${cpuTwo!.toFixed(2)} |`);
});
say(`load average at the end: ${load()}`);
