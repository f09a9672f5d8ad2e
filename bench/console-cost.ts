// What the console adds to an API request (docs/console.md, "What it costs when nobody looks"):
// the same in-process request (app.inject, app-only GET /2/users/by/username/:username, counted
// for the Usage page) against a server without the console, with it and no page open, and with
// one page on GET /_roost/changes. Rounds interleaved; medians of µs per request.
//
//   node --import tsx bench/console-cost.ts [--requests 3000] [--rounds 5]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp, createUser } from '../src/admin/accounts.js';
import { loadConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/server.js';
import { median } from './report.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '5' } } });
const N = Number(values.requests);
const ROUNDS = Number(values.rounds);
const TOKEN = 'console-cost';
const dir = mkdtempSync(join(tmpdir(), 'roost-console-cost-'));

async function start(name: string, console: boolean): Promise<{ server: RunningServer; bearer: string }> {
  const config = loadConfig({
    port: 0, host: '127.0.0.1', db: join(dir, `${name}.db`), rateLimits: false,
    ...(console ? { console: { token: TOKEN, port: null, host: '127.0.0.1', expose: false } } : {}),
  }, {});
  const server = await startServer(config);
  const s = server.services;
  const app = await createApp(s.store, s.ids, s.clock, 'bench');
  await createUser(s.store, s.ids, s.clock, { screenName: 'bob' });
  return { server, bearer: app.bearerToken! };
}

const variants = [
  { name: 'console off', ...(await start('off', false)) },
  { name: 'console on, no page open', ...(await start('on', true)) },
  { name: 'console on, one page on /_roost/changes', ...(await start('watched', true)) },
];
const watched = variants[2]!;
const leave = new AbortController();
const page = await fetch(`${watched.server.url}/_roost/changes`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: leave.signal });
const reading = (async () => { for await (const _ of page.body!) { /* the page's messages, dropped */ } })().catch(() => undefined);

async function round(v: (typeof variants)[number]): Promise<number> {
  const headers = { authorization: `Bearer ${v.bearer}` };
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const res = await v.server.app.inject({ method: 'GET', url: '/2/users/by/username/bob', headers });
    if (res.statusCode !== 200) throw new Error(`${v.name}: ${res.statusCode} ${res.body}`);
  }
  return Number(process.hrtime.bigint() - t0) / 1000 / N;
}

const times = new Map(variants.map((v) => [v.name, [] as number[]]));
for (const v of variants) await round(v); // warm-up
for (let r = 0; r < ROUNDS; r++) for (const v of variants) times.get(v.name)!.push(await round(v));
for (const [name, xs] of times) console.log(`${name}: ${median(xs).toFixed(1)} µs per request (rounds ${xs.map((x) => x.toFixed(0)).join(', ')})`);
leave.abort();
await reading;
for (const v of variants) await v.server.close();
rmSync(dir, { recursive: true, force: true });
