// A webhook receiver in a process of its own (as a consumer would be), for bench/activity.ts:
// answers X's CRC with the consumer secret it is given and 200 to every delivery at once, and
// keeps the delay from each event's commit (the ms in its event_uuid) to its arrival.
// Parent messages: {secret} to start (answered {url}), 'count' (answered {count, lastAt}), 'report'
// (answered {delivered, lastAt, delays}).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { snowflakeTime } from '../src/graph/snowflake.js';
import { signature } from '../src/webhooks/signature.js';

let secret = '';
let delivered = 0;
let lastAt = 0;
const delays: number[] = [];

const server = createServer((req, res) => {
  const token = new URL(req.url!, 'http://x').searchParams.get('crc_token');
  if (req.method === 'GET' && token) {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ response_token: signature(secret, token) }));
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => { body += c; });
  req.on('end', () => {
    const now = Date.now();
    res.end('ok');
    const uuid = /"event_uuid":"(\d+)"/.exec(body)?.[1];
    if (!uuid) return;
    delivered++;
    lastAt = now;
    delays.push(now - snowflakeTime(BigInt(uuid))!);
  });
});

process.on('message', (m: unknown) => {
  if (m === 'count') process.send!({ count: delivered, lastAt });
  else if (m === 'report') process.send!({ delivered, lastAt, delays });
  else if (typeof m === 'object' && m !== null && 'secret' in m) {
    secret = String((m as { secret: string }).secret);
    server.listen(0, '127.0.0.1', () => process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` }));
  }
});
process.on('disconnect', () => process.exit(0));
