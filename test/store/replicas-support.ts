// Starting `bin/roost serve` on a primary with replicas, and reading what it reports about them.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '../support/free-port.js';

const BIN = new URL('../../bin/roost', import.meta.url).pathname;

export interface Served { child: ChildProcessWithoutNullStreams; base: string; out: () => string }

export async function serveReplicated(db: string, extraEnv: Record<string, string>): Promise<Served> {
  const env: NodeJS.ProcessEnv = { ...process.env, ROOST_LOG_LEVEL: 'info', ROOST_FOLLOWS_PER_APP_PER_DAY: 'off', ...extraEnv };
  if (!extraEnv.REDIS_URL) delete env.REDIS_URL;
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', db, '--no-rate-limits'], { env });
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

export async function stopServe(p: Served): Promise<void> {
  if (p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await exited;
}

interface Ready { status: number; body: { replicas?: Record<string, { status: string; lag_ms: number }> } }

export async function readyOf(p: Served): Promise<Ready> {
  const res = await fetch(`${p.base}/health/ready`);
  return { status: res.status, body: (await res.json()) as Ready['body'] };
}

/** The sum of a metric's samples (one replica here), from GET /metrics. */
export async function metricValue(p: Served, name: string, label = ''): Promise<number> {
  const text = await (await fetch(`${p.base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (m && (m[1] ?? '').includes(label)) sum += Number(m[2]);
  }
  return sum;
}

/** A TCP relay in front of a server that a test can hang: bytes either way are dropped meanwhile. */
export class HangingRelay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  hung = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (d) => { if (!this.hung) upstream.write(d); });
      upstream.on('data', (d) => { if (!this.hung) client.write(d); });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server?.close(r));
  }
}
