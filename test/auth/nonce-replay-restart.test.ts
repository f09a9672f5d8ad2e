// A captured OAuth 1.0a request stays refused after the server restarts, however it stopped:
// a signed request is sent once, the server is stopped (SIGTERM, then SIGKILL on another run) and
// started again on the same database and port, and the same bytes sent again get 401/32. Without
// Redis the nonces live in a journal beside the database (or in ROOST_NONCE_DIR), written without
// fsync: what a killed process wrote is in the page cache, so the next process reads it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createApp, createToken, createUser } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config.js';
import { closeServices, createServices } from '../../src/services.js';
import { testDb, TEST_BACKEND } from '../support/backend.js';
import { freePort } from '../support/free-port.js';
import { sendSigned, signedRequest, type Credentials } from '../support/sign.js';

const BIN = new URL('../../bin/roost', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'roost-nonces-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** `roost serve` in a child process, without Redis; resolves once it listens. */
async function serve(db: string, port: number, nonceDir: string | undefined): Promise<ChildProcessWithoutNullStreams> {
  const env: Record<string, string | undefined> = { ...process.env, ROOST_LOG_LEVEL: 'warn', ROOST_NONCE_DIR: nonceDir };
  delete env.REDIS_URL;
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', db, '--no-rate-limits'], { env });
  let out = '';
  child.stderr.on('data', (d: Buffer) => { out += d; });
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      if (/roost serving /.test(out)) { child.stdout.off('data', onData); resolve(); }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  return child;
}

async function stop(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

async function credentials(db: string, nonceDir: string | undefined): Promise<Credentials> {
  const s = await createServices(loadConfig({ db, redisUrl: null, nonceDir: nonceDir ?? null }, {}));
  try {
    const app = await createApp(s.store, s.ids, s.clock, 'replayer');
    const user = await createUser(s.store, s.ids, s.clock, { screenName: 'alice' });
    const token = await createToken(s.store, s.clock, app, user);
    return { consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: token.token, tokenSecret: token.secret };
  } finally {
    await closeServices(s);
  }
}

describe(`a captured request replayed after a restart is refused (${TEST_BACKEND})`, () => {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`after ${signal}`, async () => {
      const db = await testDb('nonce_restart');
      // PostgreSQL has no file to keep the journal beside: a directory of this test's own.
      const nonceDir = TEST_BACKEND === 'postgres' ? join(scratch, signal) : undefined;
      try {
        const creds = await credentials(db.location, nonceDir);
        const port = await freePort();
        const origin = `http://127.0.0.1:${port}`;
        const captured = signedRequest(creds, { method: 'POST', origin, path: '/1.1/friendships/create.json', form: [['screen_name', 'alice']] });
        const verify = signedRequest(creds, { method: 'GET', origin, path: '/1.1/account/verify_credentials.json' });

        const first = await serve(db.location, port, nonceDir);
        try {
          assert.equal((await sendSigned(verify)).status, 200);
          const sent = await sendSigned(captured);
          assert.equal(sent.status, 403, sent.text); // following oneself: refused, but the nonce was spent
        } finally {
          await stop(first, signal);
        }

        const second = await serve(db.location, port, nonceDir);
        try {
          for (const replay of [verify, captured]) {
            const r = await sendSigned(replay);
            assert.equal(r.status, 401, r.text);
            assert.deepEqual(r.json, { errors: [{ code: 32, message: 'Could not authenticate you.' }] });
          }
          const fresh = await sendSigned(signedRequest(creds, { method: 'GET', origin, path: '/1.1/account/verify_credentials.json' }));
          assert.equal(fresh.status, 200, 'a new nonce is still welcome');
        } finally {
          await stop(second, 'SIGTERM');
        }
      } finally {
        await db.cleanup();
      }
    });
  }
});
