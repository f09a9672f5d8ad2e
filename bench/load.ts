// One measured load run: autocannon against a server process, with the process's CPU time per
// response read from /proc/<pid>/stat (utime + stime) before and after.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { authorization, splitQuery, type Creds } from './oauth1-signer.js';

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
}

export function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export interface Measured { reqPerSec: number; p50: number; p99: number; mean: number; cpuMsPerResponse: number; responses: number; non2xx: number; errors: number }

export interface LoadSpec {
  origin: string;
  pid: number;
  /** all the processes whose CPU time counts (default: pid alone) */
  pids?: number[];
  seconds: number;
  connections: number;
  /** GET path with query, signed per request when creds are given */
  get?: { pathAndQuery: string; creds?: Creds };
  /** follow then unfollow, alternating, each connection as its own actor on its own targets */
  writes?: { actors: { id: bigint; creds: Creds }[]; targets: bigint[]; signed: boolean };
}

type Ctx = Record<string, unknown>;

function requests(spec: LoadSpec): autocannon.Request[] {
  if (spec.get) {
    const { pathAndQuery, creds } = spec.get;
    const { path, params } = splitQuery(pathAndQuery);
    return [{
      method: 'GET', path: pathAndQuery,
      setupRequest: (req) => (creds ? { ...req, headers: { ...req.headers, authorization: authorization(creds, 'GET', spec.origin, path, params) } } : req),
    }];
  }
  const w = spec.writes!;
  let nextActor = 0;
  const write = (path: string, advance: boolean): autocannon.Request => ({
    method: 'POST', path,
    setupRequest: (req, context: object) => {
      const ctx = context as Ctx;
      if (ctx.actor === undefined) ctx.actor = nextActor++ % w.actors.length;
      if (advance) ctx.k = ((ctx.k as number | undefined) ?? -1) + 1;
      const actor = w.actors[ctx.actor as number]!;
      const target = w.targets[((ctx.actor as number) * 7 + (ctx.k as number)) % w.targets.length]!.toString();
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'x-actor': actor.id.toString() };
      if (w.signed) headers.authorization = authorization(actor.creds, 'POST', spec.origin, path, [['user_id', target]]);
      return { ...req, headers, body: `user_id=${target}` };
    },
  });
  return [write('/1.1/friendships/create.json', true), write('/1.1/friendships/destroy.json', false)];
}

export async function measure(spec: LoadSpec): Promise<Measured> {
  const pids = spec.pids ?? [spec.pid];
  const cpuNow = () => pids.reduce((t, pid) => t + cpuSeconds(pid), 0);
  const cpu0 = cpuNow();
  const r = await autocannon({
    url: spec.origin, connections: spec.connections, duration: spec.seconds, requests: requests(spec),
    initialContext: {},
  } as autocannon.Options);
  const cpu = cpuNow() - cpu0;
  const responses = r.requests.total;
  return {
    reqPerSec: responses / spec.seconds, p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average,
    cpuMsPerResponse: responses > 0 ? (cpu * 1000) / responses : 0, responses, non2xx: r.non2xx, errors: r.errors,
  };
}
