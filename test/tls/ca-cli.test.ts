// `bin/roost ca` is what people paste into their shells: its paths must exist, its CA must be the
// one serve uses, and it must be made once and kept private.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = new URL('../../bin/roost', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'roost-ca-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const roost = async (...args: string[]) => (await run(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH } })).stdout;

test('bin/roost ca makes the CA once beside the database and prints settings that point at it', async () => {
  const db = join(dir, 'suite.db');
  const first = JSON.parse(await roost('ca', '--db', db, '--json'));
  assert.equal(first.ca, `${db}.ca/ca.crt`);
  assert.equal(statSync(`${db}.ca/ca.key`).mode & 0o777, 0o600);
  assert.equal(statSync(`${db}.ca`).mode & 0o777, 0o700);
  const ca = readFileSync(first.ca, 'utf8');
  assert.ok(readFileSync(first.bundle, 'utf8').includes(ca.trim()), 'the bundle carries roost\'s CA');
  assert.equal(first.env.NODE_EXTRA_CA_CERTS, first.ca);
  for (const name of ['REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE', 'PERL_LWP_SSL_CA_FILE', 'CURL_CA_BUNDLE']) assert.equal(first.env[name], first.bundle, name);
  assert.equal(first.hosts, '127.0.0.1 api.twitter.com api.x.com twitter.com x.com');

  const text = await roost('ca', '--db', db);
  assert.equal(readFileSync(first.ca, 'utf8'), ca, 'a second run keeps the CA');
  assert.ok(text.includes(`export NODE_EXTRA_CA_CERTS=${first.ca}\n`));
  assert.ok(text.includes(`export HTTPS_PROXY=http://127.0.0.1:3128\n`));

  const elsewhere = JSON.parse(await roost('ca', '--db', db, '--ca-dir', join(dir, 'own'), '--json'));
  assert.equal(elsewhere.ca, join(dir, 'own', 'ca.crt'));
});

test('serve --proxy with something other than a port stops with one line', async () => {
  await assert.rejects(roost('serve', '--db', join(dir, 'x.db'), '--port', '0', '--proxy', 'abc'), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 1);
    assert.equal(err.stderr, 'roost: --proxy takes a port number, got "abc"\n');
    return true;
  });
});
