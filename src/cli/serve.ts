import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { startServer } from '../server.js';
import { CliError } from './output.js';

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

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the API')
    .option('--port <n>', 'port to listen on (env PORT, default 3000)')
    .option('--host <h>', 'address to bind (env HOST, default 127.0.0.1)')
    .option('--db <location>', 'SQLite file or postgres:// URL (env ROOST_DB, default ./roost.db)')
    .option('--no-rate-limits', 'turn the 15-minute rate limits off (for tests)')
    .action(async (opts: { port?: string; host?: string; db?: string; rateLimits: boolean }) => {
      if (opts.port !== undefined && !/^\d+$/.test(opts.port)) throw new CliError(`--port must be a number, got "${opts.port}"`);
      const config = loadConfig({
        ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.db ? { db: opts.db } : {}),
        ...(opts.rateLimits === false ? { rateLimits: false } : {}),
      });
      const server = await startServer(config, { logger: { level: config.logLevel } });
      process.stdout.write(`roost serving ${server.url} on ${config.db}\n`);
      if ((await server.services.store.countUsers()) === 0) process.stdout.write(`${firstRunHint(server.url)}\n`);
      const stop = () => {
        server.close().then(() => process.exit(0), () => process.exit(1));
        setTimeout(() => process.exit(1), 10_000).unref();
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
