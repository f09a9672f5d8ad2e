// One HTTP request to a webhook receiver, made to the address url-guard checked (the Host header
// and TLS name stay the URL's), with a deadline for the whole exchange and a bounded read of
// the answer: a receiver that hangs or streams forever costs a timeout, never memory.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Target } from './url-guard.js';

/** Bytes of an answer kept (for the CRC's JSON and the attempt log's excerpt). */
const MAX_ANSWER = 16 * 1024;
export const EXCERPT = 500;

export interface CallResult {
  /** null when no answer came (refused, reset, timed out) */
  status: number | null;
  ms: number;
  error: string | null;
  /** the start of the answer's body */
  text: string;
}

const pinnedTo = (target: Target): LookupFunction => (_host, options, cb) => {
  if ((options as { all?: boolean }).all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
  else cb(null, target.address, target.family);
};

/**
 * Connections kept open between deliveries, one pool per origin and checked address (a new
 * address after a DNS change gets a pool of its own). Idle sockets close after a second, before
 * a receiver's usual keep-alive timeout would close them under a request; the oldest pool goes
 * once there are too many.
 */
const pools = new Map<string, HttpAgent>();
const POOLS = 64;

function pooled(target: Target): HttpAgent {
  const key = `${target.url.origin} ${target.address}`;
  let agent = pools.get(key);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 64, timeout: 1000, lookup: pinnedTo(target) };
    agent = target.url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
    pools.set(key, agent);
    if (pools.size > POOLS) {
      const [oldest, old] = pools.entries().next().value!;
      pools.delete(oldest);
      old.destroy();
    }
  }
  return agent;
}

/** `keepAlive`: reuse a connection to the same receiver (deliveries); otherwise one of its own (CRC checks). */
export function call(target: Target, opts: { method: 'GET' | 'POST'; body?: string; headers?: Record<string, string>; timeoutMs: number; keepAlive?: boolean }): Promise<CallResult> {
  const started = performance.now();
  const pinned = pinnedTo(target);
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number | null, error: string | null, text = '') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, ms: performance.now() - started, error, text });
    };
    const req = send(target.url, {
      method: opts.method,
      lookup: pinned,
      headers: { 'user-agent': 'roost-webhooks', ...(opts.body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(opts.body)) } : {}), ...opts.headers },
      agent: opts.keepAlive ? pooled(target) : false,
    }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_ANSWER) chunks.push(c.subarray(0, MAX_ANSWER - size));
        size += c.length;
        // Enough read: the rest is not needed, and a receiver that never ends must not hold us.
        if (size >= MAX_ANSWER) res.destroy();
      });
      const done = () => finish(res.statusCode ?? null, null, Buffer.concat(chunks).toString('utf8'));
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    const timer = setTimeout(() => {
      finish(null, `no answer within ${opts.timeoutMs} ms`);
      req.destroy();
    }, opts.timeoutMs);
    req.on('error', (err) => finish(null, err.message));
    req.end(opts.body);
  });
}
