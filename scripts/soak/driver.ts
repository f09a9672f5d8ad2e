// Steady traffic: `clients` keep-alive connections, each sending at rate/clients requests a
// second on a fixed schedule (open loop: a slow answer does not slow the schedule down).
import { Agent, request } from 'node:http';
import { nextRequest, type SoakRequest, type SoakUser } from './traffic.js';

export interface Outcome {
  req: SoakRequest;
  /** HTTP status, or 0 when the connection failed */
  status: number;
  /** errors[0].code of a v1.1 error body, if any */
  code?: number;
  ms: number;
  body: string;
}

export interface DriveOptions {
  url: string;
  users: readonly SoakUser[];
  rate: number;
  clients: number;
  until: number;
  onOutcome(o: Outcome): void;
}

function v1Code(body: string): number | undefined {
  try {
    const code = (JSON.parse(body) as { errors?: { code?: unknown }[] }).errors?.[0]?.code;
    return typeof code === 'number' ? code : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function send(agent: Agent, base: URL, req: SoakRequest): Promise<Omit<Outcome, 'req' | 'ms'>> {
  return new Promise((resolve) => {
    const r = request({ host: base.hostname, port: base.port, method: req.method, path: req.path, agent, headers: {
      ...req.headers, ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
    } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({ status, code: status >= 400 ? v1Code(body) : undefined, body });
      });
      res.on('error', (err) => resolve({ status: 0, body: String(err) }));
    });
    r.on('error', (err) => resolve({ status: 0, body: String(err) }));
    r.end(req.body);
  });
}

/** Runs until `until` (ms since the epoch); resolves when every request sent has been answered. */
export async function drive(o: DriveOptions): Promise<{ late: number }> {
  const base = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.clients });
  const gap = (1000 * o.clients) / o.rate;
  let late = 0;
  const client = async (offset: number) => {
    let next = Date.now() + offset;
    while (next < o.until) {
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      else if (wait < -gap) late++;
      const req = nextRequest(o.users, base.host);
      const start = performance.now();
      const res = await send(agent, base, req);
      o.onOutcome({ req, ...res, ms: performance.now() - start });
      next += gap;
      // far behind (a stall): skip the missed slots rather than burst to catch up
      if (Date.now() - next > 10 * gap) next = Date.now();
    }
  };
  await Promise.all(Array.from({ length: o.clients }, (_, i) => client((gap * i) / o.clients)));
  agent.destroy();
  return { late };
}
