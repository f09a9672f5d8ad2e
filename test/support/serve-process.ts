// `bin/roost serve` as a child process on a database of the test's, rate limits and the per-app
// follow quota off (every test user signs through one app), Redis only when the env names one.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { freePort } from './free-port.js';

const BIN = new URL('../../bin/roost', import.meta.url).pathname;

export interface Served { child: ChildProcessWithoutNullStreams; base: string; out: () => string }

/** Resolves once it serves; `env` adds to (and overrides) the test's own environment. */
export async function startServe(db: string, env: Record<string, string>): Promise<Served> {
  const full: NodeJS.ProcessEnv = { ...process.env, ROOST_LOG_LEVEL: 'info', ROOST_FOLLOWS_PER_APP_PER_DAY: 'off', ...env };
  if (!env.REDIS_URL) delete full.REDIS_URL;
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', db, '--no-rate-limits'], { env: full });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d; });
  child.stderr.on('data', (d: Buffer) => { out += d; });
  await new Promise<void>((resolve, reject) => {
    const onData = () => { if (out.includes('roost serving')) { child.stdout.off('data', onData); resolve(); } };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  return { child, base: `http://127.0.0.1:${port}`, out: () => out };
}

/** SIGTERM, and its exit code once it has stopped. */
export async function stopServe(p: Served): Promise<number | null> {
  if (p.child.exitCode !== null) return p.child.exitCode;
  const exited = new Promise<number | null>((r) => p.child.once('exit', (code) => r(code)));
  p.child.kill('SIGTERM');
  return exited;
}
