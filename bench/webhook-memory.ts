// Memory with a webhook receiver that never answers: the receiver passes the CRC check, then
// holds every delivery open without a reply. Follows run at full speed for a while; roost's
// resident memory is sampled before, during and after. Delivery reads a batch of events at a
// time and keeps its place in the database, so memory should not grow with the backlog.
//   node --import tsx bench/webhook-memory.ts --users 20000 --follows 200000 --seconds 30
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { signature } from '../src/webhooks/signature.js';
import { benchAccounts, graphFile } from './graph.js';
import { measure, rssMb } from './load.js';
import { startRoost } from './servers.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '20000' },
    follows: { type: 'string', default: '200000' },
    seconds: { type: 'string', default: '30' },
    // the same writes with no webhook at all: what caches and the heap grow by anyway
    control: { type: 'boolean', default: false },
  },
});
const say = (line: string) => process.stdout.write(`${line}\n`);
const size = { users: Number(values.users), follows: Number(values.follows), seed: 1, celebrities: 5 };
const { path } = graphFile(size, say);
const acc = await benchAccounts(path, 64, 256);
const secret = acc.actors[0]!.creds.consumerSecret;

// Answers the CRC challenge; never answers a delivery (the socket stays open, unanswered).
let held = 0;
const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
  const token = new URL(req.url!, 'http://x').searchParams.get('crc_token');
  if (req.method === 'GET' && token) {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ response_token: signature(secret, token) }));
    return;
  }
  held++;
  req.resume();
});
receiver.keepAliveTimeout = 0;
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

/** A webhook to the receiver, and an Activity subscription to every target's new followers on it. */
async function subscribeHook(origin: string, headers: Record<string, string>): Promise<void> {
  const made = await fetch(`${origin}/2/webhooks`, { method: 'POST', headers, body: JSON.stringify({ url }) });
  const hook = (await made.json()) as { data?: { id: string; valid: boolean } };
  if (!hook.data?.valid) throw new Error(`webhook not valid: ${JSON.stringify(hook)}`);
  for (const t of acc.targets) {
    const r = await fetch(`${origin}/2/activity/subscriptions`, {
      method: 'POST', headers, body: JSON.stringify({ event_type: 'follow.follow', filter: { user_id: t.toString() }, webhook_id: hook.data.id }),
    });
    if (r.status !== 200) throw new Error(`subscribe: ${r.status} ${await r.text()}`);
  }
}

process.env.ROOST_WEBHOOK_ALLOW = '127.0.0.1/32';
process.env.ROOST_WEBHOOK_TIMEOUT_MS = '1000';
process.env.ROOST_WEBHOOK_RETRY_MIN_MS = '100';
process.env.ROOST_WEBHOOK_RETRY_MAX_MS = '1000';
const server = await startRoost(path, 'NORMAL');
try {
  const headers = { authorization: `Bearer ${acc.bearer}`, 'content-type': 'application/json' };
  if (!values.control) await subscribeHook(server.origin, headers);
  const before = rssMb(server.pid).rss;
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(rssMb(server.pid).rss), 1000);
  const writes = await measure({ origin: server.origin, pid: server.pid, seconds: Number(values.seconds), connections: 64, writes: { actors: acc.actors, targets: acc.targets, signed: true } });
  clearInterval(timer);
  const after = rssMb(server.pid);
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  say(`${values.control ? 'control, no webhook' : 'a webhook that never answers'}: follow/unfollow ${Math.round(writes.reqPerSec)} writes/s for ${values.seconds} s (${writes.responses} writes, about half of them follows)`);
  say(`deliveries held unanswered by the receiver: ${held}`);
  say(`roost RSS: ${Math.round(before)} MB before; mean ${Math.round(mean(samples.slice(0, third)))} MB in the first third, ${Math.round(mean(samples.slice(-third)))} MB in the last third; ${Math.round(after.rss)} MB after (peak ${Math.round(after.peak)} MB)`);
} finally {
  await server.stop();
  receiver.closeAllConnections();
  receiver.close();
}
