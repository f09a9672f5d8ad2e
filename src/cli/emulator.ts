// The CLI's emulator parts: `serve --emulator` options and start-up banner, and `load`, which
// writes a fixture into a database file offline.
import type { Command } from 'commander';
import { emulatorConfig, loadConfig, replicaSettings, type EmulatorConfig, type ServerConfig } from '../config.js';

import type { RunningServer } from '../server.js';
import { toJson, type Json } from '../wire/json.js';
import { CliError, print } from './output.js';

export interface EmulatorOptions {
  emulator?: boolean;
  seed?: string;
  clock?: string;
  fixture?: string;
  json?: boolean;
  db?: string;
  expose?: boolean;
}

function seedOf(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 0xffffffff) throw new CliError(`--seed must be a whole number from 0 to 4294967295, got "${raw}"`);
  return Number(raw);
}

/** The emulator settings `serve` runs with: the environment's, overridden by the flags; null: off. */
export function emulatorSettings(opts: EmulatorOptions): EmulatorConfig | null {
  const base = emulatorConfig(process.env, opts.emulator === true ? true : undefined);
  if (!base) {
    const stray = (['seed', 'clock', 'fixture', 'json', 'expose'] as const).find((k) => opts[k] !== undefined);
    if (stray) throw new CliError(`--${stray} needs --emulator (or ROOST_EMULATOR=on)`);
    return null;
  }
  if (opts.clock !== undefined && opts.clock !== 'frozen' && opts.clock !== 'real') throw new CliError(`--clock must be frozen or real, got "${opts.clock}"`);
  return {
    ...base,
    ...(opts.seed !== undefined ? { seed: seedOf(opts.seed) } : {}),
    ...(opts.clock !== undefined ? { clock: opts.clock as 'frozen' | 'real' } : {}),
    ...(opts.fixture !== undefined ? { fixture: opts.fixture } : {}),
    ...(opts.db !== undefined ? { tempDb: false } : {}),
    ...(opts.expose ? { expose: true } : {}),
  };
}

/** What a test suite needs to talk to a started emulator, as one JSON object. */
async function readyJson(server: RunningServer): Promise<Record<string, Json>> {
  const { credentialsJson } = await import('../emulator/state-json.js'); // yaml: not at every CLI start
  const e = server.emulator!;
  return {
    url: server.url, admin_token: e.adminToken, seed: e.settings.seed,
    ...(server.consoleUrl ? { console_url: server.consoleUrl } : {}),
    clock: { mode: e.clock.mode, now: new Date(e.clock.now()).toISOString() },
    ...(server.proxyUrl ? { proxy_url: server.proxyUrl } : {}),
    ...(server.caPath ? { ca_path: server.caPath } : {}),
    ...credentialsJson(e.loaded),
  };
}

function banner(server: RunningServer): string {
  const e = server.emulator!;
  const lines = [
    `roost emulator serving ${server.url} (seed ${e.settings.seed}, clock ${e.clock.mode} at ${new Date(e.clock.now()).toISOString()})`,
    `  health:      GET ${server.url}/_roost/health`,
    `  admin token: ${e.adminToken}   (Authorization: Bearer ...; set with ROOST_ADMIN_TOKEN)`,
    ...(server.consoleUrl ? [`  console:     ${server.consoleUrl}?token=${encodeURIComponent(e.adminToken)}`] : []),
  ];
  for (const [name, a] of e.loaded.apps) {
    lines.push(`app ${name}`, `  consumer key:    ${a.consumerKey}`, `  consumer secret: ${a.consumerSecret}`, `  bearer token:    ${a.bearerToken ?? ''}`);
  }
  for (const [name, t] of e.loaded.tokens) {
    lines.push(`token ${name} (@${t.user.screenName}, id ${t.user.id}, app ${t.app.name})`, `  access token:    ${t.row.token}`, `  access secret:   ${t.row.secret}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function printEmulatorReady(server: RunningServer, json: boolean): Promise<void> {
  process.stdout.write(json ? `${toJson(await readyJson(server))}\n` : banner(server));
}

export function registerLoad(program: Command): void {
  program
    .command('load <fixture>')
    .description('create the users, apps, tokens and graph a fixture file names, in a database (offline)')
    .option('--db <location>', 'SQLite file or postgres:// URL (env ROOST_DB, default ./roost.db)')
    .option('--seed <n>', 'draw the credentials the fixture does not fix from this seed, and stamp ids at the emulator\'s frozen start')
    .option('--json', 'print the credentials by name as JSON')
    .action(async (file: string, opts: { db?: string; seed?: string; json?: boolean }) => {
      const [{ loadFixture, randomCredentials }, { ControlledClock }, { readFixtureFile }, { SeededRandom }, { closeServices, createServices }, { credentialsJson }] = await Promise.all([
        import('../emulator/fixture-loader.js'), import('../emulator/controlled-clock.js'), import('../emulator/emulator.js'),
        import('../emulator/seeded-random.js'), import('../services.js'), import('../emulator/state-json.js'),
      ]);
      const fixture = readFixtureFile(file);
      const config: ServerConfig = loadConfig({ ...(opts.db ? { db: opts.db } : {}), redisUrl: null, emulator: null, replicas: replicaSettings({}, '') });
      const seed = opts.seed === undefined ? null : seedOf(opts.seed);
      // A seed also stamps everything at the frozen clock's start, so ids (and the tokens that carry them) repeat.
      const s = seed === null ? await createServices(config)
        : await createServices(config, new ControlledClock('frozen'), { snowflakeWorker: BigInt(seed % 1024) });
      try {
        const loaded = await loadFixture(s, fixture, seed === null ? randomCredentials : new SeededRandom(seed));
        if (opts.json) print(credentialsJson(loaded));
        else process.stdout.write(`loaded ${file}: ${loaded.apps.size} apps, ${loaded.users.size} users, ${loaded.tokens.size} tokens\n`);
      } finally {
        await closeServices(s);
      }
    });
}

