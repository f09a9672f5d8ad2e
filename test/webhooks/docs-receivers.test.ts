// The receivers docs/events.md shows, in Node and in Python, run as written (port aside): each
// passes roost's CRC check on registration and prints a follow it receives, signature verified.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { post } from '../support/calls.js';
import { freePort } from '../support/free-port.js';
import type { Harness } from '../support/harness.js';
import { PYTHON } from '../support/python.js';
import { call, startV2Harness } from '../support/v2.js';

const DOC = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
const section = DOC.slice(DOC.indexOf('### From registration to a verified delivery'));
const block = (lang: string) => new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section)![1]!;

let h: Harness;
const dir = mkdtempSync(join(tmpdir(), 'roost-receivers-'));
before(async () => {
  h = await startV2Harness({ webhooks: { ...loadConfig({}, {}).webhooks, allow: ['127.0.0.1'], pollMs: 50 } });
});
after(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const [lang, file, cmd] of [['js', 'receiver.mjs', process.execPath], ['python', 'receiver.py', PYTHON]] as const) {
  test(`the ${lang === 'js' ? 'Node' : 'Python'} receiver of docs/events.md answers the CRC and verifies a delivery`, async () => {
    const port = await freePort();
    const path = join(dir, file);
    writeFileSync(path, block(lang).replace('8080', String(port)));
    const child: ChildProcess = spawn(cmd, [path], { env: { ...process.env, CONSUMER_SECRET: h.app.consumerSecret, PYTHONUNBUFFERED: '1' } });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d; });
    child.stderr!.on('data', (d: Buffer) => { out += d; });
    try {
      let made;
      for (let i = 0; i < 50; i++) { // until the receiver listens
        made = await call(h, 'POST', '/2/webhooks', { bearer: h.app.bearerToken! }, { json: { url: `http://127.0.0.1:${port}/webhook` } });
        if (made.status === 200) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(made!.status, 200, `${made!.text}\n${out}`);
      const user = await h.user(`${lang}user`);
      const fan = await h.user(`${lang}fan`);
      await call(h, 'POST', `/2/account_activity/webhooks/${made!.json.data.id}/subscriptions/all`, { user }, { json: {} });
      await post(fan.client, 'friendships/create', { user_id: user.user.id.toString() });
      for (let i = 0; i < 100 && !out.includes('follow_events'); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, /follow_events/);
      assert.ok(out.includes(user.user.id.toString()), out);
      const attempts = await h.server.services.store.webhooks.attempts(5, BigInt(made!.json.data.id));
      assert.equal(attempts[0]!.status, 200, 'the signature was accepted (a bad one is answered 401)');
      await call(h, 'DELETE', `/2/webhooks/${made!.json.data.id}`, { bearer: h.app.bearerToken! });
    } finally {
      child.kill();
    }
  });
}
