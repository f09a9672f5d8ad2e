// `serve --workers N`: a primary process forks N workers (node:cluster) that share the port;
// each worker is a whole roost (its own database connections or pool). What they must agree on
// lives in Redis when REDIS_URL is set, else in the primary, which answers the workers' calls
// over the IPC channel (shared-state/primary-link.ts). The primary serves no HTTP: it migrates
// once, keeps that shared state, starts the workers, restarts one that dies, and on
// SIGTERM/SIGINT asks every worker to stop gracefully, killing them past the bound.
import cluster, { type Worker } from 'node:cluster';
import type { ServerConfig } from '../config.js';
import { primaryState } from '../services.js';
import { answerCalls } from '../shared-state/primary-link.js';
import { openStore } from '../store/open-store.js';

export const isPostgres = (db: string) => /^postgres(ql)?:\/\//.test(db);

/** The database location without a password, for output. */
export function displayDb(db: string): string {
  if (!isPostgres(db)) return db;
  try {
    const u = new URL(db);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://...';
  }
}

interface Listening { roost: 'listening'; url: string }
const isListening = (m: unknown): m is Listening => typeof m === 'object' && m !== null && (m as Listening).roost === 'listening';

const RESTART_DELAY_MS = 1000;

export async function runPrimary(config: ServerConfig, firstRunHint: (url: string) => string): Promise<void> {
  // Migrate (and fail on a bad URL) here, once, rather than in N workers at the same moment.
  const store = await openStore(config.db, { statementTimeoutMs: config.statementTimeoutMs });
  const empty = (await store.countUsers()) === 0;
  await store.close();
  if (config.redisUrl === null) {
    const say = (msg: string) => { process.stderr.write(`roost: ${msg}\n`); };
    const state = primaryState(config, { warn: say, info: say });
    cluster.on('message', (w, m) => { void answerCalls(state.handlers, w, m); });
    process.once('exit', () => state.close());
  }

  const workers = new Set<Worker>();
  let stopping = false;
  let failed = false;
  const fork = () => {
    const w = cluster.fork();
    workers.add(w);
    return w;
  };

  // Start: every worker must report that it listens; one that exits first fails the start.
  const url = await new Promise<string>((resolve, reject) => {
    let ready = 0;
    let first = '';
    const onMessage = (_w: Worker, m: unknown) => {
      if (!isListening(m)) return;
      first ||= m.url;
      if (++ready === config.workers) {
        cluster.off('message', onMessage);
        cluster.off('exit', onEarlyExit);
        resolve(first);
      }
    };
    const onEarlyExit = (w: Worker, code: number | null, signal: string | null) => {
      workers.delete(w);
      cluster.off('message', onMessage);
      cluster.off('exit', onEarlyExit);
      for (const other of workers) other.process.kill('SIGTERM');
      reject(new Error(`worker ${w.process.pid} exited during start (${signal ?? `code ${code}`})`));
    };
    cluster.on('message', onMessage);
    cluster.on('exit', onEarlyExit);
    for (let i = 0; i < config.workers; i++) fork();
  });

  // Running: a worker that dies is replaced; a stopping primary waits for all of them.
  cluster.on('exit', (w, code, signal) => {
    workers.delete(w);
    // A worker still starting when the primary stops has no handler yet, so the SIGTERM sent
    // to it ends it by signal: it served nothing, and that is not a failure.
    if (code !== 0 && !(stopping && signal === 'SIGTERM')) failed = true;
    if (stopping) {
      if (workers.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    process.stderr.write(`roost: worker ${w.process.pid} exited (${signal ?? `code ${code}`}); starting another\n`);
    setTimeout(() => { if (!stopping) fork(); }, RESTART_DELAY_MS).unref();
  });

  const stop = () => {
    if (stopping) return;
    stopping = true;
    failed = false;
    if (workers.size === 0) process.exit(0);
    for (const w of workers) w.process.kill('SIGTERM');
    // Workers bound their own shutdown; this catches one that hangs past it.
    setTimeout(() => {
      process.stderr.write(`roost: ${workers.size} worker(s) still running after ${config.shutdownTimeoutMs} ms; killing them\n`);
      for (const w of workers) w.process.kill('SIGKILL');
      process.exit(1);
    }, config.shutdownTimeoutMs + 1000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  process.stdout.write(`roost serving ${url} on ${displayDb(config.db)} with ${config.workers} workers (pids ${[...workers].map((w) => w.process.pid).join(' ')})\n`);
  if (empty) process.stdout.write(`${firstRunHint(url)}\n`);
}
