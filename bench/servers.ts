// The processes under test: roost (`bin/roost serve`, rate limits and follow quotas off) and the
// baseline server, each started on port 0 and stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';

const BIN = new URL('../bin/roost', import.meta.url).pathname;
const NO_STORAGE = new URL('./no-storage-server.ts', import.meta.url).pathname;
const COMMIT_PER_REQUEST = new URL('./commit-per-request-server.ts', import.meta.url).pathname;

export interface Served {
  origin: string;
  pid: number;
  /** every process serving (`serve --workers N`: the primary and its workers), for CPU time */
  pids: number[];
  stop: () => Promise<void>;
  /** stdout and stderr so far */
  output: () => string;
}

async function started(child: ChildProcess, pattern: RegExp): Promise<Served> {
  let out = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => { out += d; });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  const workers = /\(pids ([\d ]+)\)/.exec(out)?.[1]?.split(' ').map(Number) ?? [];
  return {
    origin,
    pid: child.pid!,
    pids: [child.pid!, ...workers],
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function startRoost(db: string, sync: 'NORMAL' | 'FULL', workers = 1): Promise<Served> {
  const env = {
    ...process.env, ROOST_SQLITE_SYNC: sync, ROOST_LOG_LEVEL: 'warn',
    ROOST_FOLLOWS_PER_DAY: 'off', ROOST_FOLLOWS_PER_APP_PER_DAY: 'off', ROOST_FOLLOWING_CAP: 'off',
    // Past this many answers on one socket Node answers 503; a fast endpoint passes 1,000 in a run.
    ROOST_MAX_REQUESTS_PER_SOCKET: '1000000000',
    // The webhook delivery run's receiver listens on loopback.
    ROOST_WEBHOOK_ALLOW: '127.0.0.1/32',
  };
  delete (env as Record<string, string | undefined>).REDIS_URL;
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db, '--no-rate-limits', '--workers', String(workers)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return started(child, workers > 1 ? /roost serving (\S+) .* workers \(pids [\d ]+\)\n/ : /roost serving (\S+)/);
}

/** roost on PostgreSQL (`location` a postgres:// URL), one process or a primary with `workers` workers. */
export function startRoostPg(location: string, workers: number): Promise<Served> {
  const env = {
    ...process.env, ROOST_LOG_LEVEL: 'warn',
    ROOST_FOLLOWS_PER_DAY: 'off', ROOST_FOLLOWS_PER_APP_PER_DAY: 'off', ROOST_FOLLOWING_CAP: 'off',
    ROOST_MAX_REQUESTS_PER_SOCKET: '1000000000',
  };
  delete (env as Record<string, string | undefined>).REDIS_URL;
  const args = [BIN, 'serve', '--port', '0', '--db', location, '--no-rate-limits', ...(workers > 1 ? ['--workers', String(workers)] : [])];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return started(child, workers > 1 ? /roost serving (\S+) .* workers \(pids [\d ]+\)\n/ : /roost serving (\S+)/);
}

/** The read gate (`stringify`) or the pre-encoded ceiling (`bytes`): no storage at all. */
export function startNoStorage(mode: 'stringify' | 'bytes'): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', NO_STORAGE, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  return started(child, /baseline serving (\S+)/);
}

/** Follow/unfollow committing once per request, on the same file. */
export function startCommitPerRequest(db: string, sync: 'NORMAL' | 'FULL'): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', COMMIT_PER_REQUEST, db, sync], { stdio: ['ignore', 'pipe', 'pipe'] });
  return started(child, /baseline serving (\S+)/);
}
