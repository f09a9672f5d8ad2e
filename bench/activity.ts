// The Activity stream under write load: follows and unfollows at full speed (the write run of
// load.ts) while one reader holds GET /2/activity/stream with a subscription for every target
// followed. Measured: events delivered per second to the reader, and the delay from an event's
// commit to its line arriving (its event_uuid is a snowflake of the ms it was stamped, in the
// write transaction; both clocks are this machine's). Part of `npm run bench`; alone:
//   node --import tsx bench/activity.ts --users 20000 --follows 200000 --seconds 5
// which writes its section into docs/benchmarks.md and leaves the rest of the file as it was.
import { fork } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { snowflakeTime } from '../src/graph/snowflake.js';
import { benchAccounts, graphFile, type BenchAccounts } from './graph.js';
import { measure, type Measured } from './load.js';
import { loadNow, writeActivitySection, type ActivityFigures, type WebhookFigures } from './report.js';
import { startRoost, type Served } from './servers.js';

const stampOf = (uuid: string) => snowflakeTime(BigInt(uuid))!;

/** Subscribes the bench app to every follow and unfollow of each target (inbound), idempotently. */
async function subscribe(origin: string, bearer: string, targets: bigint[]): Promise<number> {
  const headers = { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' };
  const listed = await fetch(`${origin}/2/activity/subscriptions?max_results=1000`, { headers });
  const had = new Set(((await listed.json()) as { data: { event_type: string; filter: { user_id: string } }[] }).data.map((s) => `${s.event_type} ${s.filter.user_id}`));
  let n = had.size;
  for (const t of targets) {
    for (const event_type of ['follow.follow', 'follow.unfollow']) {
      if (had.has(`${event_type} ${t}`)) continue;
      const r = await fetch(`${origin}/2/activity/subscriptions`, {
        method: 'POST', headers, body: JSON.stringify({ event_type, filter: { user_id: t.toString(), direction: 'inbound' } }),
      });
      if (r.status !== 200) throw new Error(`subscribe: ${r.status} ${await r.text()}`);
      n++;
    }
  }
  return n;
}

interface Reader { lines: number; delays: number[]; close: () => void }

function readStream(origin: string, bearer: string): Promise<Reader> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}/2/activity/stream`, { headers: { authorization: `Bearer ${bearer}` }, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream: ${res.statusCode}`));
      const reader: Reader = { lines: 0, delays: [], close: () => req.destroy() };
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const now = Date.now();
        buf += chunk;
        let at: number;
        while ((at = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, at);
          buf = buf.slice(at + 2);
          if (line === '') continue;
          const uuid = /"event_uuid":"(\d+)"/.exec(line)?.[1];
          reader.lines++;
          if (uuid) reader.delays.push(now - stampOf(uuid));
        }
      });
      res.on('error', () => undefined);
      resolve(reader);
    });
    req.on('error', reject);
    req.end();
  });
}

const pct = (sorted: number[], p: number) => sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/** The stream read while `connections` write at full speed; the reader's figures over `seconds`. */
async function withReader(server: Served, acc: BenchAccounts, seconds: number, connections: number) {
  const spec = { origin: server.origin, pid: server.pid, seconds, connections, writes: { actors: acc.actors, targets: acc.targets, signed: true } };
  const reader = await readStream(server.origin, acc.bearer);
  const writes: Measured = await measure(spec);
  // Lines of writes committed at the very end are still on their way: a moment to arrive.
  await new Promise((r) => setTimeout(r, 500));
  reader.close();
  const delays = reader.delays.sort((a, b) => a - b);
  return { writes, eventsPerSec: reader.lines / seconds, delivered: reader.lines, p50: pct(delays, 0.5), p99: pct(delays, 0.99), max: delays.at(-1) ?? 0 };
}

/** bench/webhook-receiver.ts in a child process; `ask` sends a message and waits for the answer. */
async function startHookReceiver(secret: string) {
  const child = fork(fileURLToPath(new URL('./webhook-receiver.ts', import.meta.url)), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const ask = <T>(m: unknown) => new Promise<T>((resolve) => {
    child.once('message', (a) => resolve(a as T));
    child.send(m as object);
  });
  const { url } = await ask<{ url: string }>({ secret });
  return {
    url,
    count: () => ask<{ count: number; lastAt: number }>('count'),
    report: () => ask<{ delivered: number; lastAt: number; delays: number[] }>('report'),
    close: () => { child.disconnect(); },
  };
}

/**
 * Webhook delivery under the same write load: every subscription is pointed at a webhook on a
 * local receiver, the writers run for `seconds`, and then the run waits for the receiver to have
 * everything (the backlog left when the writers stop, and how long it takes to drain).
 */
async function withWebhook(server: Served, acc: BenchAccounts, seconds: number, connections: number): Promise<WebhookFigures> {
  const rx = await startHookReceiver(acc.actors[0]!.creds.consumerSecret);
  const headers = { authorization: `Bearer ${acc.bearer}`, 'content-type': 'application/json' };
  try {
    const made = await fetch(`${server.origin}/2/webhooks`, { method: 'POST', headers, body: JSON.stringify({ url: rx.url }) });
    const hook = (await made.json()) as { data?: { id: string; valid: boolean } };
    if (!hook.data?.valid) throw new Error(`webhook not valid: ${JSON.stringify(hook)}`);
    const listed = await fetch(`${server.origin}/2/activity/subscriptions?max_results=1000`, { headers });
    for (const sub of ((await listed.json()) as { data: { subscription_id: string }[] }).data) {
      const r = await fetch(`${server.origin}/2/activity/subscriptions/${sub.subscription_id}`, { method: 'PUT', headers, body: JSON.stringify({ webhook_id: hook.data.id }) });
      if (r.status !== 200) throw new Error(`attach webhook: ${r.status} ${await r.text()}`);
    }
    const spec = { origin: server.origin, pid: server.pid, seconds, connections, writes: { actors: acc.actors, targets: acc.targets, signed: true } };
    const writes = await measure(spec);
    const stoppedAt = Date.now();
    const duringLoad = (await rx.count()).count;
    // Drained once nothing new has arrived for a second (or after 60 s).
    for (let c = await rx.count(); Date.now() - Math.max(c.lastAt, stoppedAt) < 1000 && Date.now() - stoppedAt < 60_000; c = await rx.count()) {
      await new Promise((done) => setTimeout(done, 100));
    }
    const r = await rx.report();
    const delays = r.delays.sort((a, b) => a - b);
    await fetch(`${server.origin}/2/webhooks/${hook.data.id}`, { method: 'DELETE', headers });
    return {
      writes, seconds, connections, eventsPerSec: duringLoad / seconds, duringLoad, delivered: r.delivered,
      drainMs: Math.max(0, r.lastAt - stoppedAt), p50: pct(delays, 0.5), p99: pct(delays, 0.99), max: delays.at(-1) ?? 0,
    };
  } finally {
    rx.close();
  }
}

/**
 * Against a started roost: the write load alone, then with a stream reader attached (events per
 * second, commit -> delivery under that load), then one writer at a time with the reader (the
 * delivery delay itself, without queueing behind 64 connections' requests).
 */
export async function measureActivity(server: Served, acc: BenchAccounts, seconds: number, connections: number): Promise<ActivityFigures> {
  const subscriptions = await subscribe(server.origin, acc.bearer, acc.targets);
  const spec = { origin: server.origin, pid: server.pid, seconds, connections, writes: { actors: acc.actors, targets: acc.targets, signed: true } };
  const load = loadNow()[0]!;
  await measure({ ...spec, seconds: 1 }); // warm-up
  const alone = await measure(spec);
  const full = await withReader(server, acc, seconds, connections);
  const single = await withReader(server, acc, seconds, 1);
  const webhook = await withWebhook(server, acc, seconds, connections);
  const webhookSingle = await withWebhook(server, acc, seconds, 1);
  return { subscriptions, seconds, connections, load, writesAlone: alone, ...full, single, webhook, webhookSingle };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '20000' },
      follows: { type: 'string', default: '200000' },
      seconds: { type: 'string', default: '5' },
      out: { type: 'string', default: new URL('../docs/benchmarks.md', import.meta.url).pathname },
    },
  });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const size = { users: Number(values.users), follows: Number(values.follows), seed: 1, celebrities: 5 };
  const { path } = graphFile(size, say);
  const acc = await benchAccounts(path, 64, 256);
  const server = await startRoost(path, 'NORMAL');
  try {
    const f = await measureActivity(server, acc, Number(values.seconds), 64);
    f.graph = { users: size.users, follows: size.follows };
    say(`follow/unfollow: ${Math.round(f.writesAlone.reqPerSec)} writes/s alone, ${Math.round(f.writes.reqPerSec)} with a stream open; stream: ${Math.round(f.eventsPerSec)} events/s delivered, commit -> delivery p50 ${f.p50} ms, p99 ${f.p99} ms, max ${f.max} ms`);
    say(`one writer: ${Math.round(f.single.writes.reqPerSec)} writes/s, commit -> delivery p50 ${f.single.p50} ms, p99 ${f.single.p99} ms, max ${f.single.max} ms`);
    for (const w of [f.webhook!, f.webhookSingle!]) {
      say(`webhook, ${w.connections} writers: ${Math.round(w.writes.reqPerSec)} writes/s, ${Math.round(w.eventsPerSec)} events/s delivered during the load, ${w.delivered - w.duringLoad} after it (drained in ${w.drainMs} ms), commit -> delivery p50 ${w.p50} ms, p99 ${w.p99} ms, max ${w.max} ms`);
    }
    writeActivitySection(values.out!, f);
    say(`written to ${values.out}`);
  } finally {
    await server.stop();
  }
}
