// A server (not the emulator) refuses webhook URLs it must not call: plain http, and names or
// addresses on loopback, private, link-local, unique-local or unspecified networks, judged after
// DNS resolution; ROOST_WEBHOOK_ALLOW opens what an operator names. Through the wire.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { resolveTarget, WebhookUrlError } from '../../src/webhooks/url-guard.js';
import type { Harness } from '../support/harness.js';
import { call, startV2Harness } from '../support/v2.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';

let h: Harness;
let rx: Receiver;
before(async () => {
  h = await startV2Harness({ webhooks: { ...loadConfig({}, {}).webhooks, crcTimeoutMs: 1000 } });
  rx = await startReceiver(() => h.app.consumerSecret);
});
after(async () => {
  await h.close();
  await rx.close();
});

describe('server mode refuses internal webhook URLs', () => {
  const refused = [
    rx0 => rx0, // the loopback receiver itself (http)
    () => 'https://127.0.0.1/hook', () => 'https://localhost/hook', () => 'https://10.1.2.3/hook', () => 'https://172.16.0.9/hook',
    () => 'https://192.168.1.1/hook', () => 'https://169.254.169.254/latest/meta-data', () => 'https://0.0.0.0/hook',
    () => 'https://[::1]/hook', () => 'https://[fd00::1]/hook', () => 'https://[fe80::1]/hook', () => 'https://[::ffff:127.0.0.1]/hook',
    () => 'https://[::]/hook', () => 'http://example.com/hook', () => 'ftp://example.com/hook', () => 'not a url',
  ] as ((url: string) => string)[];
  test('each is 400 UrlValidationFailed, and the receiver is never called', async () => {
    const checks = rx.crcChecks;
    for (const make of refused) {
      const url = make(rx.url);
      const r = await call(h, 'POST', '/2/webhooks', { bearer: h.app.bearerToken! }, { json: { url } });
      assert.equal(r.status, 400, url);
      assert.match(r.json.errors[0].message, /^UrlValidationFailed: /, url);
    }
    assert.equal(rx.crcChecks, checks);
    assert.equal((await call(h, 'GET', '/2/webhooks', { bearer: h.app.bearerToken! })).json.meta.result_count, 0);
  });

  test('ROOST_WEBHOOK_ALLOW opens a CIDR, a host name or everything', async () => {
    const closed = { emulator: false, allow: [] };
    await assert.rejects(resolveTarget('http://127.0.0.1:9/x', closed), WebhookUrlError);
    assert.equal((await resolveTarget('http://127.0.0.1:9/x', { emulator: false, allow: ['127.0.0.0/8'] })).address, '127.0.0.1');
    assert.equal((await resolveTarget('https://localhost:9/x', { emulator: false, allow: ['localhost'] })).url.hostname, 'localhost');
    assert.equal((await resolveTarget('http://10.0.0.1/x', { emulator: false, allow: ['*'] })).address, '10.0.0.1');
    await assert.rejects(resolveTarget('https://10.0.0.1/x', { emulator: false, allow: ['127.0.0.0/8'] }), WebhookUrlError);
    // Emulator mode: loopback and http, but still no private network.
    assert.equal((await resolveTarget('http://127.0.0.1:9/x', { emulator: true, allow: [] })).address, '127.0.0.1');
    await assert.rejects(resolveTarget('http://192.168.0.1/x', { emulator: true, allow: [] }), WebhookUrlError);
  });

  test('a bad ROOST_WEBHOOK_ALLOW fails at start, naming the setting', () => {
    assert.throws(() => loadConfig({}, { ROOST_WEBHOOK_ALLOW: '10.0.0.0/x' }), /ROOST_WEBHOOK_ALLOW/);
  });
});
