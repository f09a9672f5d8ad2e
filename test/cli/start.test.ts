// bin/roost starts fast (issue 13): it runs the compiled dist/, and a command loads only the
// packages it uses. What a start loads is counted exactly, through a module resolve hook, so the
// test does not depend on how busy the machine is; the time is printed for the record.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = new URL('../../bin/roost', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'roost-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Appends the package of every module resolved to $TRACE_FILE (one name a line).
const HOOK = `
import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  const m = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(r.url);
  if (m) appendFileSync(process.env.TRACE_FILE, m[1] + '\\n');
  return r;
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});`;

/** Runs bin/roost with the hook; the packages it loaded, and how long it took. */
async function loaded(name: string, ...args: string[]): Promise<{ packages: Set<string>; ms: number }> {
  const trace = join(dir, `${name}.trace`);
  const started = performance.now();
  await run(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, BIN, ...args], {
    env: { ...process.env, TRACE_FILE: trace, ROOST_DB: join(dir, 'roost.db') },
  });
  const ms = Math.round(performance.now() - started);
  return { packages: new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean)), ms };
}

/** What only `serve`, PostgreSQL, Redis, TLS, fixtures or the bulk commands need. */
const HEAVY = ['fastify', 'pg', 'ioredis', 'pino', 'prom-client', 'node-forge', 'yaml', 'csv-parse', 'csv-stringify', 'cli-progress', 'twitter-text', 'tsx'];

test('bin/roost --help loads commander and none of the packages a command needs', async (t) => {
  const { packages, ms } = await loaded('help', '--help');
  t.diagnostic(`bin/roost --help: ${ms} ms with the trace hook`);
  assert.ok(packages.has('commander'), `the trace saw commander: ${[...packages].join(', ')}`);
  assert.deepEqual(HEAVY.filter((p) => packages.has(p)), []);
  assert.equal(packages.has('better-sqlite3'), false);
});

test('users create on SQLite loads the SQLite driver, not the server, PostgreSQL or Redis', async (t) => {
  const { packages, ms } = await loaded('users-create', 'users', 'create', 'alice', '--json');
  t.diagnostic(`bin/roost users create: ${ms} ms with the trace hook`);
  assert.ok(packages.has('better-sqlite3'), `the trace saw better-sqlite3: ${[...packages].join(', ')}`);
  assert.deepEqual(HEAVY.filter((p) => packages.has(p)), []);
});
