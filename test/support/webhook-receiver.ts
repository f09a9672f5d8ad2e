// A webhook receiver for the tests: a node:http server on loopback that answers X's CRC with the
// app's consumer secret (or a wrong answer, on demand), verifies every POST's signature, and
// keeps what it received; it can fail the next POSTs with a status, or hang.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface Received {
  body: any;
  text: string;
  signature: string | undefined;
  /** the signature matches HMAC-SHA256 of the body under the consumer secret */
  signed: boolean;
}

export interface Receiver {
  url: string;
  received: Received[];
  crcChecks: number;
  /** answer CRC checks wrongly */
  wrongCrc: boolean;
  /** fail this many POSTs with `failStatus` (500) before accepting */
  failNext: number;
  failStatus: number;
  /** POSTs answered with a failure so far */
  failed: number;
  /** leave POSTs unanswered */
  hang: boolean;
  /** resolves once `n` deliveries were accepted */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

const hmac = (secret: string, text: string) => `sha256=${createHmac('sha256', secret).update(text).digest('base64')}`;

export async function startReceiver(secret: () => string, path = '/hook'): Promise<Receiver> {
  const r = { received: [] as Received[], crcChecks: 0, wrongCrc: false, failNext: 0, failStatus: 500, failed: 0, hang: false } as Receiver;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (req.method === 'GET' && url.searchParams.has('crc_token')) {
      r.crcChecks++;
      const token = url.searchParams.get('crc_token')!;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ response_token: r.wrongCrc ? hmac('not the secret', token) : hmac(secret(), token) }));
      return;
    }
    let text = '';
    req.on('data', (c: Buffer) => { text += c; });
    req.on('end', () => {
      if (r.hang) return;
      if (r.failNext > 0) {
        r.failNext--;
        r.failed++;
        res.writeHead(r.failStatus).end('try later');
        return;
      }
      const sig = req.headers['x-twitter-webhooks-signature'] as string | undefined;
      r.received.push({ body: JSON.parse(text), text, signature: sig, signed: sig === hmac(secret(), text) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  r.url = `http://127.0.0.1:${port}${path}`;
  r.waitFor = async (n, timeoutMs = 10_000) => {
    const until = Date.now() + timeoutMs;
    while (r.received.length < n) {
      if (Date.now() > until) throw new Error(`receiver: ${r.received.length} of ${n} deliveries after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return r.received;
  };
  r.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return r;
}
