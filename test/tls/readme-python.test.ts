// The README's Python example, run as written: `serve --emulator --proxy --json` started as a user
// would, the tweepy file taken from the README, trusting only roost's CA through its proxy.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { PYTHON, TWEEPY_SKIP } from '../support/python.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const skip = TWEEPY_SKIP;

test('the README\'s tweepy example passes through the emulator\'s proxy', { skip, timeout: 120_000 }, async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## In your test suite'));
  const code = /```python\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, 'the section has a python block');
  const dir = mkdtempSync(join(tmpdir(), 'roost-readme-py-'));
  const roost = spawn(join(ROOT, 'bin/roost'), ['serve', '--emulator', '--port', '0', '--proxy', '0', '--ca-dir', join(dir, 'ca'), '--json'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ROOST_LOG_LEVEL: 'warn' } });
  try {
    const [line] = await once(createInterface({ input: roost.stdout! }), 'line') as [string];
    const ready = JSON.parse(line) as { proxy_url?: string; ca_path?: string };
    assert.match(ready.proxy_url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(ready.ca_path, 'the ready line names the CA');
    writeFileSync(join(dir, 'roost.json'), line);
    writeFileSync(join(dir, 'test_follows.py'), code);
    const { stdout } = await promisify(execFile)(PYTHON, ['test_follows.py'], {
      cwd: dir,
      env: { PATH: '/usr/bin:/bin', HTTPS_PROXY: ready.proxy_url, REQUESTS_CA_BUNDLE: ready.ca_path },
      timeout: 60_000,
    });
    assert.equal(stdout.trim(), 'ok');
  } finally {
    roost.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
