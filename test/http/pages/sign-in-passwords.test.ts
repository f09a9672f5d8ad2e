// Passwords on the sign-in pages: scrypt at OWASP's minimum cost (N=2^17, r=8, p=1) off the event
// loop, older cheaper hashes still accepted and replaced at the next successful sign-in, and
// attempts throttled per account and per address, with the budget on the page and a 429 (never a
// 500) past it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from '../../../src/auth/passwords.js';
import { loadConfig } from '../../../src/config.js';
import type { AppRow } from '../../../src/store/types.js';
import type { Harness } from '../../support/harness.js';
import { pkceAuthorize, field, PageAgent, PASSWORD, userWithPassword, startWebApp, type CallbackServer, type WebAppSetting } from '../../support/sign-in.js';

let h: Harness;
let cb: CallbackServer;
let web: AppRow;
let setting: WebAppSetting;
before(async () => {
  setting = await startWebApp({ rateLimits: true });
  ({ h, cb, web } = setting);
});
after(() => setting.close());

const authorizeUrl = (): string => pkceAuthorize(web.clientId, cb.url('/callback'), 'users.read').path;

/** Sign-in attempts this file has made, all from 127.0.0.1. */
let attempts = 0;

/** One attempt on the sign-in form, from a fresh visitor. */
async function attempt(screenName: string, password: string) {
  attempts++;
  const agent = new PageAgent(h.url);
  const page = await agent.request(authorizeUrl());
  return agent.request('/i/sign-in', { csrf_token: field(page.text, 'csrf_token'), return_to: field(page.text, 'return_to'), screen_name: screenName, password });
}

const WRONG = /did not match our records/;

describe('passwords', () => {
  test('production hashes at N=2^17, r=8, p=1, off the event loop', async () => {
    assert.deepEqual(DEFAULT_SCRYPT, { N: 2 ** 17, r: 8, p: 1 });
    assert.equal(loadConfig({}, {}).scryptN, 2 ** 17);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const hash = await hashPassword('correct horse');
    clearInterval(timer);
    assert.match(hash, /^scrypt\$131072\$8\$1\$/);
    assert.ok(ticks >= 3, `the event loop ran ${ticks} times while hashing`);
    assert.equal(await verifyPassword('correct horse', hash), true);
  });

  test('a cheaper old hash still signs in and is replaced by one at the server\'s cost', async () => {
    const carol = await userWithPassword(h, 'carol'); // hashed at 2^11; the test server's cost is 2^12
    const store = h.server.services.store;
    assert.match((await store.passwordHash(carol.id))!, /^scrypt\$2048\$8\$1\$/);
    assert.equal((await attempt('carol', 'not it')).status, 200);
    assert.match((await store.passwordHash(carol.id))!, /^scrypt\$2048\$/, 'a failed attempt changes nothing');
    const ok = await attempt('carol', PASSWORD);
    assert.equal(ok.status, 303, ok.text);
    const upgraded = (await store.passwordHash(carol.id))!;
    assert.match(upgraded, /^scrypt\$4096\$8\$1\$/);
    assert.equal((await attempt('carol', PASSWORD)).status, 303, 'the new hash verifies');
    assert.equal(await store.passwordHash(carol.id), upgraded, 'and is not replaced again');
  });
});

describe('sign-in throttling', () => {
  test('10 attempts per account per 15 minutes, then 429 even with the right password; the page says so', async () => {
    await userWithPassword(h, 'alice');
    await userWithPassword(h, 'bob');
    const page = await new PageAgent(h.url).request(authorizeUrl());
    assert.match(page.text, /roost allows 10 sign-in attempts per account and 50 per network address every 15 minutes\./);
    for (let i = 0; i < 10; i++) {
      const r = await attempt('alice', `guess ${i}`);
      assert.equal(r.status, 200);
      assert.match(r.text, WRONG);
    }
    const refused = await attempt('Alice', PASSWORD);
    assert.equal(refused.status, 429);
    assert.match(refused.text, /role="alert">Too many sign-in attempts\. Try again in 15 minutes\./);
    assert.ok(Number(refused.headers.get('retry-after')) > 890, `retry-after ${refused.headers.get('retry-after')}`);
    assert.equal(refused.location, null);
    // Another account from the same address is not held back by alice's budget.
    assert.equal((await attempt('bob', PASSWORD)).status, 303);
  });

  test('50 attempts per address per 15 minutes, whichever names they try', async () => {
    while (attempts < 50) {
      const r = await attempt(`nobody${attempts}`, 'x');
      assert.equal(r.status, 200, r.text);
      assert.match(r.text, WRONG);
    }
    const refused = await attempt('bob', PASSWORD);
    assert.equal(refused.status, 429);
    assert.match(refused.text, /Too many sign-in attempts/);
  });
});
