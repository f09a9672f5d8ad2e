// The fixed cost of a signed request: CPU per response of users/show, friendships/show, the first
// and last 5,000-id pages of the biggest account's followers, follow/unfollow pairs and the other
// reads of npm run bench, on a graph
// of your choice (`bin/roost generate`), against this checkout or another build of roost.
//
//   node --import tsx bench/fixed-path.ts --db graph.db [--bin other/bin/roost] [--seconds 5] [--only users] [--cpu-prof DIR]
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { benchAccounts, benchReads } from './graph.js';
import { measure, type LoadSpec } from './load.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    bin: { type: 'string', default: new URL('../bin/roost', import.meta.url).pathname },
    seconds: { type: 'string', default: '5' },
    only: { type: 'string', default: '' },
    'cpu-prof': { type: 'string' },
  },
});
if (!values.db) throw new Error('--db is required');
const acc = await benchAccounts(values.db, 16, 64);
const viewer = acc.actors[0]!;
const star = acc.star.id;
const env = {
  ...process.env, ROOST_SQLITE_SYNC: 'NORMAL', ROOST_LOG_LEVEL: 'warn',
  ROOST_FOLLOWS_PER_DAY: 'off', ROOST_FOLLOWS_PER_APP_PER_DAY: 'off', ROOST_FOLLOWING_CAP: 'off', ROOST_MAX_REQUESTS_PER_SOCKET: '1000000000',
};
const prof = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
const child = spawn(process.execPath, [...prof, values.bin!, 'serve', '--port', '0', '--db', values.db, '--no-rate-limits'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const origin = await new Promise<string>((resolve) => {
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d; const m = /roost serving (\S+)/.exec(out); if (m) resolve(m[1]!); });
});
const base = { origin, pid: child.pid!, seconds: Number(values.seconds) };
const runs: [string, LoadSpec][] = [
  ['users/show', { ...base, connections: 8, get: { pathAndQuery: `/1.1/users/show.json?user_id=${star}`, creds: viewer.creds } }],
  ['friendships/show', { ...base, connections: 8, get: { pathAndQuery: `/1.1/friendships/show.json?source_id=${viewer.id}&target_id=${star}`, creds: viewer.creds } }],
  ['followers/ids first', { ...base, connections: 8, get: { pathAndQuery: `/1.1/followers/ids.json?user_id=${star}&count=5000`, creds: viewer.creds } }],
  ['followers/ids last', { ...base, connections: 8, get: { pathAndQuery: `/1.1/followers/ids.json?user_id=${star}&count=5000&cursor=${acc.lastPageCursor}`, creds: viewer.creds } }],
  ['follow/unfollow', { ...base, connections: 16, writes: { actors: acc.actors, targets: acc.targets, signed: true } }],
  // The rest of npm run bench's reads, for a profile of one (--only).
  ...benchReads(acc).filter((r) => !['users/show', 'friendships/show', 'followers/ids (5,000)'].includes(r.name))
    .map((r): [string, LoadSpec] => [r.name, { ...base, connections: 8, get: { pathAndQuery: r.path, creds: viewer.creds } }]),
];
for (const [name, spec] of runs) {
  if (values.only && !name.startsWith(values.only)) continue;
  await measure({ ...spec, seconds: 1 }); // warm caches and the JIT
  const m = await measure(spec);
  console.log(`${name}: ${m.cpuMsPerResponse.toFixed(3)} ms CPU/response, ${Math.round(m.reqPerSec)} req/s, mean ${m.mean.toFixed(1)} ms${m.non2xx + m.errors ? `, ${m.non2xx + m.errors} FAILED` : ''}`);
}
const exited = new Promise((r) => child.once('exit', r));
child.kill('SIGTERM');
await exited;
