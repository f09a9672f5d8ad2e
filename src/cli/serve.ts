import cluster from 'node:cluster';
import type { Command } from 'commander';
import { loadConfig, replicaSettings, type ServerConfig } from '../config.js';
import type { RunningServer } from '../server.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import { emulatorSettings, printEmulatorReady, type EmulatorOptions } from './emulator.js';
import { CliError } from './output.js';
import { PrimaryLink } from '../shared-state/primary-link.js';
import { displayDb, runPrimary } from './serve-cluster.js';
import { prepareCa, tlsOverrides, twitterFrontLines, type TlsFlags } from './serve-tls.js';

function firstRunHint(url: string): string {
  const cli = 'bin/roost';
  return [
    'The database is empty. Create an app, a user and a token:',
    `  ${cli} apps create demo --json`,
    `  ${cli} users create alice --name "Alice" --json`,
    `  ${cli} tokens create --consumer-key <consumer_key> --user alice --json`,
    'Then ask for an app-only bearer token and make a request:',
    `  curl -s -u '<consumer_key>:<consumer_secret>' --data 'grant_type=client_credentials' ${url}/oauth2/token`,
    `  curl -s -H 'Authorization: Bearer <access_token>' '${url}/1.1/users/show.json?screen_name=alice'`,
  ].join('\n');
}

/** What a stopping process reports: figures an operator (or a test) can quote. */
function stoppedLine(server: RunningServer): string {
  const { store, redis } = server.services;
  const pg = store.backend === 'postgres' ? (store as PostgresStore) : null;
  const who = cluster.isWorker ? `roost worker ${process.pid}` : 'roost';
  return `${who} stopped: ${pg?.retries ?? 0} write transactions retried (at most ${pg?.mostAttempts ?? 1} attempts for one), `
    + `${redis?.fallbacks ?? 0} Redis fallbacks\n`;
}

/**
 * On SIGTERM or SIGINT (or, in a worker, losing the primary): stop accepting, finish requests in
 * flight, close the pools, exit 0. Past `boundMs` the process exits 1 whatever is still running.
 */
function stopOnSignals(server: RunningServer, boundMs: number): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      process.stderr.write(`roost: requests still in flight after ${boundMs} ms; exiting anyway\n`);
      process.exit(1);
    }, boundMs).unref();
    server.close().then(
      () => {
        process.stdout.write(stoppedLine(server));
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`roost: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (cluster.isWorker) process.once('disconnect', stop);
}

async function serveOne(config: ServerConfig, json = false): Promise<void> {
  // In emulator mode stdout carries only the ready banner (or JSON line); logs go to stderr.
  const { startServer } = await import('../server.js'); // fastify: only for serve
  // The emulator's stdout is its ready line (--json): its logs go to stderr.
  // A worker without Redis shares windows, nonces and single-use values through the primary.
  const primary = cluster.isWorker && config.redisUrl === null ? new PrimaryLink() : undefined;
  const server = await startServer(config, { logger: { level: config.logLevel }, primary, ...(config.emulator ? { logDestination: process.stderr } : {}) });
  stopOnSignals(server, config.shutdownTimeoutMs);
  if (cluster.isWorker) {
    process.send?.({ roost: 'listening', url: server.url });
    return;
  }
  if (server.emulator) await printEmulatorReady(server, json);
  else process.stdout.write(`roost serving ${server.url} on ${displayDb(config.db)}\n`);
  if (!server.emulator && server.consoleUrl && !json) process.stdout.write(`console at ${server.consoleUrl} (sign in with ROOST_CONSOLE_TOKEN)\n`);
  // (With --json, stdout carries the one JSON line only.)
  if (!json) for (const line of twitterFrontLines(server)) process.stdout.write(`${line}\n`);
  if (server.emulator) return;
  if ((await server.services.store.countUsers()) === 0) process.stdout.write(`${firstRunHint(server.url)}\n`);
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the API')
    .option('--port <n>', 'port to listen on (env PORT, default 3000)')
    .option('--host <h>', 'address to bind (env HOST, default 127.0.0.1)')
    .option('--db <location>', 'SQLite file or postgres:// URL (env ROOST_DB, default ./roost.db)')
    .option('--db-replicas <urls>', 'comma-separated postgres:// URLs of streaming replicas that API reads go to (env ROOST_DB_REPLICAS)')
    .option('--workers <n>', 'processes sharing the port (env ROOST_WORKERS, default 1)')
    .option('--no-rate-limits', 'turn the 15-minute rate limits off (for tests)')
    .option('--emulator', 'emulator mode: a fresh database with a fixture, admin routes under /_roost/, scripted faults (env ROOST_EMULATOR)')
    .option('--seed <n>', 'emulator: seed of ids, tokens and fault probabilities (env ROOST_SEED, default 0)')
    .option('--clock <mode>', 'emulator: frozen or real (env ROOST_CLOCK, default frozen)')
    .option('--fixture <file>', 'emulator: fixture loaded at start and on reset; "none" for none (env ROOST_FIXTURE, default fixtures/demo.yaml)')
    .option('--json', 'emulator: print the URL, admin token and credentials as one JSON line')
    .option('--expose', 'emulator: allow --host (or HOST) to name an address other than loopback (env ROOST_EMULATOR_EXPOSE)')
    .option('--tls', 'serve HTTPS with a certificate for api.twitter.com, api.x.com, ... from roost\'s CA (env ROOST_TLS)')
    .option('--proxy [port]', 'also run a CONNECT proxy answering the Twitter hosts itself (env ROOST_PROXY_PORT, default 3128)')
    .option('--ca-dir <dir>', 'where roost\'s CA lives (env ROOST_CA_DIR, default beside the database)')
    .option('--console-port <n>', 'serve the web console on a port of its own, on loopback (env ROOST_CONSOLE_PORT; needs ROOST_CONSOLE_TOKEN)')
    .option('--console-expose', 'let ROOST_CONSOLE_HOST name an address other than loopback (env ROOST_CONSOLE_EXPOSE)')
    .action(async (opts: { port?: string; host?: string; db?: string; dbReplicas?: string; workers?: string; rateLimits: boolean; consolePort?: string; consoleExpose?: boolean } & EmulatorOptions & TlsFlags) => {
      if (opts.port !== undefined && !/^\d+$/.test(opts.port)) throw new CliError(`--port must be a number, got "${opts.port}"`);
      if (opts.consolePort !== undefined && !/^\d+$/.test(opts.consolePort)) throw new CliError(`--console-port must be a number, got "${opts.consolePort}"`);
      if (opts.workers !== undefined && !/^[1-9]\d*$/.test(opts.workers)) throw new CliError(`--workers must be a whole number >= 1, got "${opts.workers}"`);
      const config = loadConfig({
        ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.db ? { db: opts.db } : {}),
        ...(opts.dbReplicas !== undefined ? { replicas: replicaSettings(undefined, opts.dbReplicas) } : {}),
        ...(opts.workers !== undefined ? { workers: Number(opts.workers) } : {}),
        ...(opts.rateLimits === false ? { rateLimits: false } : {}),
        emulator: emulatorSettings(opts),
        ...tlsOverrides(opts),
      });
      if (opts.consolePort !== undefined) config.console = { ...config.console, port: Number(opts.consolePort) };
      if (opts.consoleExpose) config.console = { ...config.console, expose: true };
      if (config.console.port !== null && config.console.token === null && !config.emulator) {
        throw new CliError('--console-port needs ROOST_CONSOLE_TOKEN: the console is served only with a token of its own');
      }
      if (cluster.isWorker || config.workers === 1) return serveOne(config, opts.json);
      if (config.db === ':memory:') throw new CliError(`--workers ${config.workers} needs a database file or a postgres:// URL: each worker would get a :memory: database of its own`);
      await prepareCa(config); // once, here, rather than by every worker at the same moment
      await runPrimary(config, firstRunHint);
    });
}
