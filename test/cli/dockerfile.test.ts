// The image's default command is the emulator, which empties its database: run as the Dockerfile
// says (its ENV, WORKDIR, ENTRYPOINT and CMD, with /data a directory of ours holding an operator's
// database), it must leave that database alone, and `serve` must be the command that uses it.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { openStore } from '../../src/store/open-store.js';
import { freePort } from '../support/free-port.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
let data: string;

before(() => { data = mkdtempSync(join(tmpdir(), 'roost-image-data-')); });
after(() => rmSync(data, { recursive: true, force: true }));

interface Image { env: Record<string, string>; workdir: string; command: string[] }

/** The run stage of the Dockerfile, with /app read as this checkout and /data as `dataDir`. */
function image(dataDir: string): Image {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stage = text.slice(text.lastIndexOf('\nFROM '));
  const local = (v: string) => v.replace(/^\/app(?=\/|$)/, ROOT).replace(/^\/data(?=\/|$)/, dataDir);
  const env: Record<string, string> = {};
  for (const [, body] of stage.matchAll(/^ENV (.*)$/gm)) {
    for (const [, k, v] of body!.matchAll(/(\w+)=(\S+)/g)) env[k!] = local(v!);
  }
  const workdir = local([...stage.matchAll(/^WORKDIR (\S+)$/gm)].at(-1)![1]!);
  const json = (name: string) => JSON.parse(new RegExp(`^${name} (\\[.*\\])$`, 'm').exec(stage)![1]!) as string[];
  return { env, workdir, command: [...json('ENTRYPOINT'), ...json('CMD')].map(local) };
}

/** Starts a command the way the container would; resolves with stdout once `ready` shows, then stops it. */
async function startAndStop(img: Image, args: string[], ready: RegExp, port: number): Promise<string> {
  // Nothing of this machine's roost settings leaks in: the container starts from the image's.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HOST|PORT|ROOST_)/.test(k)));
  const [node, ...rest] = args;
  assert.equal(node, 'node');
  const child = spawn(process.execPath, rest, { cwd: img.workdir, env: { ...base, ...img.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => { out += d; if (ready.test(out)) resolve(); });
      child.stderr.on('data', (d: Buffer) => { err += d; });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}${err}`)));
    });
    return out;
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
  }
}

test('the image\'s default command runs the emulator on a database of its own and leaves /data as it was', async () => {
  const img = image(data);
  assert.equal(img.workdir, data, 'commands run in the volume');
  // An operator's database in the volume, made the way the Dockerfile's comment shows.
  await run(process.execPath, [join(ROOT, 'bin/roost'), 'users', 'create', 'alice', '--json'], { cwd: data, env: { ...process.env, ROOST_DB: '' } });
  const port = await freePort();
  const emulator = await startAndStop(img, img.command, /^ {2}admin token: /m, port);
  assert.match(emulator, new RegExp(`^roost emulator serving http://0\\.0\\.0\\.0:${port} `));

  const store = await openStore(join(data, 'roost.db'));
  try {
    assert.equal((await store.userByScreenName('alice'))?.screenName, 'alice', 'the volume\'s database is untouched');
    assert.equal(await store.userByScreenName('carol'), undefined, 'the demo fixture went elsewhere');
  } finally {
    await store.close();
  }

  // `serve`, as the Dockerfile documents it, is what uses the volume's database.
  const serve = img.command.slice(0, img.command.indexOf('serve') + 1).concat('--host', '0.0.0.0');
  const served = await startAndStop(img, serve, /^roost serving .*\n/m, port);
  // (A normal server logs on stdout too, so its line is one among others.)
  assert.match(served, new RegExp(`^roost serving http://0\\.0\\.0\\.0:${port} on \\./roost\\.db$`, 'm'));
  assert.doesNotMatch(served, /database is empty/, 'it found alice');
});
