// Anonymous visits to the sign-in pages cost the server nothing to remember: the anonymous
// session lives in its cookie alone, and only a successful sign-in stores a session. The
// in-memory single-use store puts in constant time and sweeps only what has expired.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { MemorySingleUseStore } from '../../../src/auth/single-use-store.js';
import type { AppRow } from '../../../src/store/types.js';
import type { Harness } from '../../support/harness.js';
import { pkceAuthorize, field, PageAgent, PASSWORD, userWithPassword, startWebApp, type CallbackServer, type WebAppSetting } from '../../support/sign-in.js';

let h: Harness;
let cb: CallbackServer;
let web: AppRow;
let setting: WebAppSetting;
before(async () => {
  setting = await startWebApp();
  ({ h, cb, web } = setting);
  await userWithPassword(h, 'alice');
});
after(() => setting.close());

const authorizeUrl = (): string => pkceAuthorize(web.clientId, cb.url('/callback'), 'users.read').path;

describe('sign-in sessions', () => {
  test('anonymous visits store nothing; a sign-in stores one session and still works from any of them', async () => {
    const store = h.server.services.singleUse;
    const stored = (agent: PageAgent) => store.get(`session:${createHash('sha256').update(agent.cookie.split('=')[1]!).digest('hex')}`);
    const agents: PageAgent[] = [];
    for (let i = 0; i < 300; i++) {
      const agent = new PageAgent(h.url);
      const page = await agent.request(authorizeUrl());
      assert.equal(page.status, 200);
      assert.match(page.headers.get('set-cookie') ?? '', /^roost_session=[A-Za-z0-9]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=1800$/);
      agents.push(agent);
    }
    for (const agent of agents) assert.equal(await stored(agent), null, 'no anonymous session is stored');

    // The same visitor coming back keeps its cookie: no new one is set.
    const again = await agents[7]!.request(authorizeUrl());
    assert.equal(again.headers.get('set-cookie'), null);

    const page = await agents[42]!.request(authorizeUrl());
    const signedIn = await agents[42]!.request('/i/sign-in', {
      csrf_token: field(page.text, 'csrf_token'), return_to: field(page.text, 'return_to'), screen_name: 'alice', password: PASSWORD,
    });
    assert.equal(signedIn.status, 303, signedIn.text);
    assert.notEqual(await stored(agents[42]!), null, 'the signed-in session is stored');
    const consent = await agents[42]!.request(signedIn.location!);
    assert.match(consent.text, /Authorize Web App to use your account\?/);
    // Another anonymous visitor's token does not pass for this one.
    const other = await agents[43]!.request('/i/sign-in', {
      csrf_token: field(page.text, 'csrf_token'), return_to: field(page.text, 'return_to'), screen_name: 'alice', password: PASSWORD,
    });
    assert.equal(other.status, 403);
  });

  test('a put costs the same with 300,000 values held, and expired values are swept', async () => {
    let now = 1_000_000;
    const store = new MemorySingleUseStore(() => now);
    for (let i = 0; i < 300_000; i++) await store.put(`k${i}`, 'v', 30 * 60 * 1000);
    const started = performance.now();
    for (let i = 0; i < 2000; i++) await store.put(`extra${i}`, 'v', 1000);
    const took = performance.now() - started;
    assert.ok(took < 1000, `2,000 puts took ${took.toFixed(0)} ms`); // walking every value on each put took ~20 s
    now += 2000;
    await store.put('later', 'v', 1000);
    assert.equal(store.size, 300_001, 'the 2,000 short-lived values are gone');
    assert.equal(await store.get('k1'), 'v');
    now += 30 * 60 * 1000;
    await store.put('last', 'v', 1000);
    assert.equal(store.size, 1);
  });
});
