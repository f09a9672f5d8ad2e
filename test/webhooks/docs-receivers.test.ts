// The receivers and the subscribing scripts docs/events.md shows, in Node and in Python, run as
// written (ports and credentials from the environment): the script registers the receiver, which
// passes roost's CRC check, and subscribes a user; the receiver prints a follow of that user,
// signature verified.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { post } from '../support/calls.js';
import { freePort } from '../support/free-port.js';
import type { Harness } from '../support/harness.js';
import { PYTHON, TWEEPY_SKIP } from '../support/python.js';
import { call, startV2Harness } from '../support/v2.js';

const DOC = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
const section = DOC.slice(DOC.indexOf('### From registration to a verified delivery'));
/** The receiver (first) and the subscribing script (second) in `lang`. */
const blocks = (lang: string) => [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

let h: Harness;
const dir = mkdtempSync(join(tmpdir(), 'roost-receivers-'));
before(async () => {
  h = await startV2Harness({ webhooks: { ...loadConfig({}, {}).webhooks, allow: ['127.0.0.1'], pollMs: 50 } });
});
after(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(cmd: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: 20_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

for (const [lang, file, cmd] of [['js', 'receiver.mjs', process.execPath], ['python', 'receiver.py', PYTHON]] as const) {
  // requests-oauthlib comes with Debian's python3-tweepy, which CI installs.
  test(`the ${lang === 'js' ? 'Node' : 'Python'} receiver and subscribing script of docs/events.md`, { skip: lang === 'python' && TWEEPY_SKIP }, async () => {
    const [receiver, subscriber] = blocks(lang);
    assert.ok(receiver && subscriber, `two ${lang} blocks`);
    const port = await freePort();
    const path = join(dir, file);
    writeFileSync(path, receiver.replace('8080', String(port)));
    const child: ChildProcess = spawn(cmd, [path], { env: { ...process.env, CONSUMER_SECRET: h.app.consumerSecret, PYTHONUNBUFFERED: '1' } });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d; });
    child.stderr!.on('data', (d: Buffer) => { out += d; });
    try {
      const user = await h.user(`${lang}user`);
      const script = join(dir, lang === 'js' ? 'subscribe.mjs' : 'subscribe.py');
      writeFileSync(script, subscriber);
      const env = {
        ROOST: h.url, RECEIVER: `http://127.0.0.1:${port}/webhook`, BEARER: h.app.bearerToken!,
        CONSUMER_KEY: h.app.consumerKey, CONSUMER_SECRET: h.app.consumerSecret, ACCESS_TOKEN: user.token, ACCESS_SECRET: user.secret,
      };
      let said = '';
      for (let i = 0; i < 50; i++) { // until the receiver listens
        said = await run(cmd, [script], env).catch((err: Error) => err.message);
        if (said.startsWith('webhook ')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const made = /^webhook (\d+) valid (true|True) subscribed (true|True)$/m.exec(said);
      assert.ok(made, `${said}\n${out}`);
      const hookId = made[1]!;
      const fan = await h.user(`${lang}fan`);
      await post(fan.client, 'friendships/create', { user_id: user.user.id.toString() });
      for (let i = 0; i < 100 && !out.includes('follow_events'); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, /follow_events/);
      assert.ok(out.includes(user.user.id.toString()), out);
      const attempts = await h.server.services.store.webhooks.attempts(5, BigInt(hookId));
      assert.equal(attempts[0]!.status, 200, 'the signature was accepted (a bad one is answered 401)');
      await call(h, 'DELETE', `/2/webhooks/${hookId}`, { bearer: h.app.bearerToken! });
    } finally {
      child.kill();
    }
  });
}
