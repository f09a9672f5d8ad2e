// The server under soak: `bin/roost serve` as a child process on port 0, and `bin/roost recount`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOST = fileURLToPath(new URL('../../bin/roost', import.meta.url));

export class SoakServerError extends Error {}

export interface ChildServer {
  child: ChildProcess;
  url: string;
  stop(): Promise<number | null>;
}

/** Starts the server; resolves once it prints the URL it listens on. Its output goes to `logFile`. */
export function startChild(db: string, logFile: string): Promise<ChildServer> {
  const child = spawn(process.execPath, [ROOST, 'serve', '--port', '0', '--db', db, '--no-rate-limits'], {
    env: {
      ...process.env, ROOST_LOG_LEVEL: process.env.ROOST_LOG_LEVEL ?? 'warn',
      // the soak drives follows far faster than a person; Twitter's daily caps would answer most of them 403/161
      ROOST_FOLLOWS_PER_DAY: 'off', ROOST_FOLLOWS_PER_APP_PER_DAY: 'off', ROOST_FOLLOWING_CAP: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  child.stderr!.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let listening = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (listening) return;
      out += chunk.toString('utf8');
      const m = /roost serving (http:\/\/\S+)/.exec(out);
      if (m) {
        listening = true;
        resolve({
          child, url: m[1]!,
          async stop() {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new SoakServerError(`roost serve exited with ${code} before listening; see ${logFile}`)));
  });
}

export interface Drift {
  ok: boolean;
  drift: unknown[];
  users_checked: number;
}

/** `roost recount --check --json`: the stored counts against the edges, without repairing. */
export function recountCheck(db: string): Drift {
  const r = spawnSync(process.execPath, [ROOST, 'recount', '--check', '--json', '--db', db], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 2) throw new SoakServerError(`roost recount failed (${r.status}): ${r.stderr}`);
  const json = JSON.parse(r.stdout) as { drift: unknown[]; users_checked: number };
  return { ok: r.status === 0 && json.drift.length === 0, drift: json.drift, users_checked: json.users_checked };
}
