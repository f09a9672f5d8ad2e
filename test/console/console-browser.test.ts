// The console in headless Chromium against an emulator: refused without the token, requests
// appear live, an OAuth 1.0a refusal is explained, a focused row keeps its focus as rows arrive,
// the builder sends (a v2 write with its JSON body too), a suspension moves counts,
// a fault hits, export/reset/import keeps the state whole, usage charts per series and prices
// with edits kept, a webhook delivery shows on the Events
// page and is sent again from it; no page logs an error. Each page's
// screenshot is saved under test-artifacts/console/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { BROWSER_SKIP, launchBrowser, type TestBrowser } from '../support/browser.js';
import { ADMIN_TOKEN, startEmulator, type EmulatorHarness } from '../support/emulator.js';
import { sendSigned, signedRequest } from '../support/sign.js';
import { startReceiver } from '../support/webhook-receiver.js';

const FIXTURE = `
apps:
  demo: { consumer_key: ck, consumer_secret: cs }
users:
  alice: { name: Alice }
  bob: { name: Bob }
  carol: { name: Carol, protected: true }
  dave: { name: Dave }
tokens:
  alice: { app: demo, token: 1-alice, secret: alicesecret }
  bob: { app: demo }
follows: ["alice -> bob", "bob -> alice", "dave -> alice", "alice -> carol"]
requests: ["dave -> carol"]
mutes: ["bob -> dave"]
`;

const ARTIFACTS = new URL('../../test-artifacts/console/', import.meta.url);
let h: EmulatorHarness;
let browser: TestBrowser;
let page: Page;
const errors: string[] = [];

before(async () => {
  if (BROWSER_SKIP) return;
  execFileSync(process.execPath, ['scripts/build-console.mjs'], { cwd: new URL('../..', import.meta.url) });
  mkdirSync(ARTIFACTS, { recursive: true });
  h = await startEmulator(FIXTURE);
  browser = await launchBrowser();
  ({ page } = await browser.fresh());
  page.setViewportSize({ width: 1280, height: 800 });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
});
after(async () => {
  await browser?.close();
  await h?.close();
});

let visits = 0;
/** A fresh load each time (a same-URL hash would not reload the page). */
async function go(hash: string): Promise<void> {
  await page.goto(`${h.url}/_roost/console?visit=${++visits}#${hash}`);
  await page.waitForSelector(`main[data-ready="${hash.split('/')[0]}"]`);
}

const idOf = (name: string) => h.server.emulator!.loaded.users.get(name)!.id.toString();
const shot = (name: string) => page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname, fullPage: true });

describe('the console', { skip: BROWSER_SKIP }, () => {
  test('is refused without the admin token, and opens with it', async () => {
    const bare = await fetch(`${h.url}/_roost/console`);
    assert.equal(bare.status, 401);
    assert.equal((await fetch(`${h.url}/_roost/users`)).status, 401);
    assert.equal((await fetch(`${h.url}/_roost/console?token=wrong`)).status, 401);
    const res = await page.goto(`${h.url}/_roost/console?token=${ADMIN_TOKEN}`);
    assert.equal(res?.status(), 200);
    assert.equal(new URL(page.url()).search, '', 'the token leaves the address bar');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'roost_console');
    assert.ok(cookie?.httpOnly && cookie.sameSite === 'Strict');
  });

  test('a signed request appears live, and a refused one says why', async () => {
    await go('requests');
    await page.locator('.toolbar .muted', { hasText: ' of ' }).waitFor();
    await h.client('alice').v1.get('followers/ids.json', { screen_name: 'bob' });
    await page.locator('.rowbtn', { hasText: '/1.1/followers/ids.json' }).first().waitFor();
    const row = page.locator('.rowbtn', { hasText: '/1.1/followers/ids.json' }).first();
    assert.match(await row.innerText(), /alice/);
    // Signed for https while the request goes over http: roost refuses and explains.
    const origin = h.url;
    const bad = signedRequest({ consumerKey: 'ck', consumerSecret: 'cs', token: '1-alice', tokenSecret: 'alicesecret' },
      { method: 'GET', origin, signedOrigin: origin.replace('http:', 'https:'), path: '/1.1/users/show.json', query: [['screen_name', 'bob']] });
    assert.equal((await sendSigned(bad)).status, 401);
    const refused = page.locator('.rowbtn', { hasText: '/1.1/users/show.json' }).first();
    await refused.waitFor();
    await refused.click();
    const explain = page.getByTestId('oauth-explanation');
    await explain.waitFor();
    const text = await explain.innerText();
    assert.match(text, /bad-signature/);
    assert.match(text, /Signature base string roost built/);
    assert.ok(text.includes(`GET&${encodeURIComponent(origin)}%2F1.1%2Fusers%2Fshow.json&`), text);
    assert.match(text, /the client signed https:\/\//);
    assert.match(text, /oauth_nonce/);
    await shot('requests');
    // The README's picture (docs/console.png is a copy): one screen, as a person sees it.
    await page.screenshot({ path: new URL('readme.png', ARTIFACTS).pathname });
  });

  test('the builder sends a signed request and shows the reply and curl', async () => {
    await go('builder');
    await page.locator('#b-credential').selectOption('alice');
    await page.locator('#b-endpoint').selectOption({ label: 'GET /1.1/friends/ids.json' });
    await page.locator('input[data-param="screen_name"]').fill('alice');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('builder-status').waitFor();
    assert.match(await page.getByTestId('builder-status').innerText(), /^200/);
    // Every id exactly as the API sends it (64-bit: two ids a double would merge stay two).
    const shown = await page.getByTestId('builder-body').innerText();
    const exact = (await h.client('alice').v1.get('friends/ids.json', { screen_name: 'alice', stringify_ids: true })).ids as string[];
    assert.ok(exact.length > 0 && exact.every((id) => new RegExp(`^\\s*${id},?$`, 'm').test(shown)), shown);
    assert.match(await page.getByLabel('curl command').innerText(), /^curl .*Authorization: OAuth .*friends\/ids\.json\?screen_name=alice/);
    await shot('builder');

    // A v2 write: the path's id, and the JSON body's member as a field of its own.
    await page.locator('#b-credential').selectOption('bob');
    await page.locator('#b-endpoint').selectOption({ label: 'POST /2/users/:id/following' });
    await page.locator('input[data-param="id"]').fill(idOf('bob'));
    await page.locator('input[data-body="target_user_id"]').fill(idOf('dave'));
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('builder-status').filter({ hasText: /^200/ }).waitFor();
    assert.match(await page.getByTestId('builder-body').innerText(), /"following": true/);
    const curl = await page.getByLabel('curl command').innerText();
    assert.match(curl, /-H 'Content-Type: application\/json' --data '\{"target_user_id":"\d+"\}'/);
    const following = await h.client('bob').v2.following(idOf('bob'));
    assert.ok(following.data.some((u) => u.username === 'dave'), 'the edge is there through the API');

    // The endpoint list is long: at a phone's width the page still does not scroll sideways.
    await page.setViewportSize({ width: 375, height: 800 });
    await go('builder');
    await page.locator('#b-endpoint').selectOption({ label: 'DELETE /2/account_activity/webhooks/:webhook_id/subscriptions/:user_id/all' });
    const wide = await page.evaluate('document.documentElement.scrollWidth');
    assert.ok(Number(wide) <= 375, `the page is ${String(wide)} px wide at 375 px`);
    await shot('builder-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('a focused row keeps the keyboard focus as requests arrive; arrows move it, Enter opens it', async () => {
    await go('requests');
    const count = page.locator('.toolbar .muted', { hasText: ' of ' });
    await count.waitFor();
    const before = Number((await count.innerText()).split(' ')[0]);
    for (const name of ['alice', 'bob']) await h.client('alice').v1.get('users/show.json', { screen_name: name });
    const seen = before + 2;
    await page.locator('.toolbar .muted', { hasText: `${seen} of ${seen}` }).waitFor();
    const active = () => page.evaluate('document.activeElement?.dataset?.seq ?? document.activeElement?.tagName');
    await page.getByLabel('Filter requests').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    const first = await active();
    await page.keyboard.press('ArrowDown');
    const second = await active();
    assert.ok(Number(second) > Number(first), `${first} then ${second}`);
    await page.keyboard.press('ArrowUp');
    assert.equal(await active(), first);

    await h.client('bob').v2.follow(idOf('bob'), idOf('alice')); // already following: a write that changes nothing
    await h.client('alice').v1.get('friends/ids.json', { screen_name: 'alice' });
    await page.locator('.toolbar .muted', { hasText: `${seen + 2} of ${seen + 2}` }).waitFor();
    assert.equal(await active(), first, 'the rows were redrawn, and the focus stayed on its row');
    const path = await page.locator(`.rowbtn[data-seq="${first}"] .c-path`).innerText();
    await page.keyboard.press('Enter');
    await page.locator('#detail-title', { hasText: path.split('?')[0] }).waitFor();

    // A JSON body is shown as the body it is, not read as form parameters.
    await page.locator('.rowbtn', { hasText: 'POST' }).filter({ hasText: '/following' }).last().click();
    await page.locator('#detail-title', { hasText: /^POST \/2\/users\/\d+\/following/ }).waitFor();
    assert.deepEqual(JSON.parse(await page.getByTestId('request-body').innerText()), { target_user_id: idOf('alice') });
    assert.match(await page.getByTestId('request-body').innerText(), /^\{\n {2}"target_user_id"/);
    assert.equal(await page.getByRole('table', { name: 'parameters' }).count(), 0);
  });

  test('suspending a user moves the counts of the users they followed', async () => {
    await go('data/alice');
    assert.equal(await page.getByTestId('followers-count').innerText(), '2 followers');
    await go('data/bob');
    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('button', { name: 'Unsuspend' }).waitFor();
    await go('data/alice');
    assert.equal(await page.getByTestId('followers-count').innerText(), '1 followers');
    const viaApi = await h.client('alice').v1.get('users/show.json', { screen_name: 'alice' });
    assert.equal((viaApi as { followers_count: number }).followers_count, 1);
    await page.locator('svg.graph').waitFor();
    await shot('data-user');
    await go('data');
    await page.getByRole('table', { name: 'users' }).waitFor();
    await shot('data');
  });

  test('a fault added on the page hits, and its count shows', async () => {
    await go('run');
    await page.getByLabel('Path', { exact: true }).fill('/1.1/friends/list.json');
    await page.getByLabel('Action').selectOption('503');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await page.getByRole('table', { name: 'fault rules' }).waitFor();
    const { faults } = (await h.admin('GET', 'faults')).json;
    const id = faults.at(-1).id;
    const res = await fetch(`${h.url}/1.1/friends/list.json`, { headers: { authorization: `Bearer ${h.server.emulator!.loaded.apps.get('demo')!.bearerToken}` } });
    assert.equal(res.status, 503);
    await go('run');
    assert.equal(await page.getByTestId(`fault-hits-${id}`).innerText(), '1');
    await page.getByRole('table', { name: 'rate-limit windows' }).waitFor();
    await shot('run');
    await h.admin('DELETE', 'faults');
  });

  test('export, reset, then import gives back the whole state', async () => {
    const before = (await h.admin('GET', 'state')).json;
    await go('data');
    await page.getByRole('button', { name: 'Export' }).click();
    const box = page.getByLabel('Fixture text to import');
    await page.locator('p.muted', { hasText: 'Exported' }).waitFor();
    const exported = await box.inputValue();
    assert.match(exported, /follows:/);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.locator('p.muted', { hasText: 'Reset' }).waitFor();
    assert.equal((await h.admin('GET', 'state')).json.accounts.bob.state, 'active', 'reset went back to the fixture');
    await page.getByLabel('Fixture text to import').fill(exported);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.locator('p.muted', { hasText: 'Imported' }).waitFor();
    const after = (await h.admin('GET', 'state')).json;
    const shape = (s: any) => ({
      accounts: Object.fromEntries(Object.entries(s.accounts).map(([k, v]: [string, any]) => [k, { ...v, id_str: undefined }])),
      follows: [...s.follows].sort(), requests: [...s.requests].sort(), blocks: [...s.blocks].sort(), mutes: [...s.mutes].sort(), tokens: s.tokens,
    });
    assert.deepEqual(shape(after), shape(before));
    assert.equal(after.accounts.bob.state, 'suspended');
  });

  test('a snapshot is saved, restored and deleted from the data page', async () => {
    await go('data');
    await page.getByLabel('Snapshot name').fill('b1');
    await page.getByRole('button', { name: 'Save snapshot' }).click();
    await page.getByRole('button', { name: 'Restore b1' }).waitFor();
    const before = (await h.admin('GET', 'state')).json;
    assert.equal((await h.admin('POST', 'users', { screen_name: 'gone' })).status, 201);
    await page.getByRole('button', { name: 'Restore b1' }).click();
    await page.locator('p.muted', { hasText: 'Restored b1' }).waitFor();
    assert.deepEqual((await h.admin('GET', 'state')).json.accounts, before.accounts);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete b1' }).click();
    await page.locator('p.muted', { hasText: 'Deleted b1' }).waitFor();
    assert.deepEqual((await h.admin('GET', 'snapshots')).json.snapshots, []);
  });

  test('the request list stays responsive with 10,000 rows: only the rows in view are in the page', async () => {
    await go('requests');
    await page.locator('.toolbar .muted', { hasText: ' of ' }).waitFor();
    for (let i = 0; i < 10_000; i++) await h.server.app.inject({ method: 'GET', url: `/1.1/users/show.json?screen_name=n${i}` });
    await page.locator('.toolbar .muted', { hasText: /^\d+ of 10000$/ }).waitFor({ timeout: 60_000 });
    assert.ok(await page.locator('.rowbtn').count() < 100);
    const started = Date.now();
    await page.getByLabel('Filter requests').fill('n9999');
    await page.locator('.toolbar .muted', { hasText: /^1 of 10000$/ }).waitFor();
    const ms = Date.now() - started;
    assert.ok(ms < 2000, `filtering 10,000 rows took ${ms} ms`);
    await page.locator('.rowbtn', { hasText: 'n9999' }).click();
    await page.locator('#detail-title').waitFor();
  });

  test('events and usage pages render; nothing logged an error; screenshots at a phone width too', async () => {
    await go('events');
    await page.getByText('No webhooks.').waitFor();
    for (let minute = 0; minute < 5; minute++) {
      for (let i = 0; i <= minute; i++) await h.client('alice').v2.get('users/by/username/bob');
      await h.client('alice').v1.get('followers/ids.json', { screen_name: 'alice' });
      await h.admin('POST', 'clock', { advance_seconds: 60 });
    }
    await go('usage');
    await page.getByTestId('usage-cost').waitFor();
    assert.equal(await page.getByTestId('usage-cost').innerText(), 'Total: $0.150');
    await shot('usage');
    // Per series over time: by caller, then by endpoint, in the legend and the table.
    await page.getByLabel('Chart by').selectOption('caller');
    await page.getByTestId('usage-legend').getByText('alice', { exact: true }).waitFor();
    await page.getByTestId('usage-series').getByRole('columnheader', { name: 'alice' }).waitFor();
    await page.getByLabel('Chart by').selectOption('endpoint');
    await page.getByTestId('usage-legend').getByText('GET /1.1/followers/ids.json').waitFor();
    // The 10,000 unsigned requests of the request-list test count too: no log's cap applies.
    assert.match(await page.getByTestId('usage-legend').locator('li', { hasText: 'GET /1.1/users/show.json' }).innerText(), / 10000$/);
    const rows = page.getByTestId('usage-series').locator('tbody tr');
    assert.equal(await rows.count(), 5, 'one row per minute that had requests');
    assert.deepEqual(await page.getByTestId('usage-series').locator('thead th').allInnerTexts(),
      ['time (UTC)', 'GET /1.1/users/show.json', 'GET /2/users/by/username/:username', 'GET /1.1/followers/ids.json', 'all']);
    assert.deepEqual(await rows.first().locator('td').allInnerTexts(), ['01-01 00:04', '0', '5', '1', '6']);
    // A price edited costs at once, and is still there after a reload; reset brings back X's.
    const price = () => page.getByLabel('price of GET /1.1/followers/ids.json in USD');
    await price().fill('0.002');
    await price().press('Tab');
    await page.getByTestId('usage-cost').getByText('Total: $0.160').waitFor();
    await go('usage');
    await page.getByTestId('usage-cost').getByText('Total: $0.160').waitFor();
    assert.equal(await price().inputValue(), '0.002');
    await page.getByRole('button', { name: 'Reset to X\'s prices' }).click();
    await page.getByTestId('usage-cost').getByText('Total: $0.150').waitFor();
    assert.equal(await price().inputValue(), '');
    await page.setViewportSize({ width: 375, height: 800 });
    await go('requests');
    await shot('requests-phone');
    await go('run');
    await shot('run-phone');
    await page.emulateMedia({ colorScheme: 'dark' });
    await go('data/alice');
    await shot('data-user-dark');
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.deepEqual(errors, []);
  });

  test('a follow reaches a webhook and shows live on the Events page; resend and fail-next make more attempts', async () => {
    const rx = await startReceiver(() => 'cs');
    try {
      await go('events');
      await page.getByText('No webhooks.').waitFor();
      const hook = ((await h.appClient().v2.post('webhooks', { url: rx.url })) as any).data.id as string;
      const alice = h.client('alice');
      const me = (await alice.v2.me()).data.id;
      await alice.v2.post(`account_activity/webhooks/${hook}/subscriptions/all`, {});
      // No reload: the writes through the API reach the open page over its stream.
      await page.getByRole('table', { name: 'webhooks' }).getByText(rx.url).waitFor();
      await page.getByRole('table', { name: 'webhooks' }).getByText('@alice').waitFor();
      await alice.v2.follow(me, (await alice.v2.userByUsername('dave')).data.id);
      await rx.waitFor(1);
      const delivery = page.locator('li.delivery', { hasText: 'follow @alice → @dave' });
      const rows = delivery.getByRole('table', { name: 'attempts' }).locator('tbody tr');
      await rows.first().waitFor();
      assert.match(await rows.first().innerText(), /200/);
      assert.equal(await rows.count(), 1);

      await delivery.getByRole('button', { name: 'Resend' }).click();
      const got = await rx.waitFor(2);
      assert.equal(got[1]!.text, got[0]!.text);
      assert.ok(got[1]!.signed);
      await rows.nth(1).waitFor();
      assert.match(await rows.nth(1).innerText(), /^2\s.*200/s);

      await page.getByLabel('How many deliveries fail').fill('1');
      await page.getByRole('button', { name: 'Fail next deliveries' }).click();
      await page.getByText('The next 1 deliveries fail with 503').waitFor();
      await delivery.getByRole('button', { name: 'Resend' }).click();
      await rows.nth(2).waitFor();
      assert.match(await rows.nth(2).innerText(), /503.*failed on purpose/s);
      assert.equal(rx.received.length, 2, 'a deliberate failure never reaches the receiver');
      await shot('events');
      assert.deepEqual(errors, []);
    } finally {
      await rx.close();
    }
  });
  test('the Run, Usage and Data pages follow changes live, keeping the field being typed in', { timeout: 60_000 }, async () => {
    const bearer = h.server.emulator!.loaded.apps.get('demo')!.bearerToken!;
    const typing = async (label: string, text: string) => {
      const field = page.getByLabel(label, { exact: true });
      await field.fill(text);
      return async () => {
        assert.equal(await field.inputValue(), text);
        assert.ok(await field.evaluate((el) => el === el.ownerDocument.activeElement), `${label} keeps the focus`);
      };
    };

    await go('run');
    const { faults } = (await h.admin('POST', 'faults', { path: '/1.1/friends/ids.json', action: 503 })).json;
    const hits = page.getByTestId(`fault-hits-${faults[0].id}`);
    await hits.getByText('0', { exact: true }).waitFor();
    const stillTyping = await typing('Seconds to advance', '42');
    assert.equal((await fetch(`${h.url}/1.1/friends/ids.json?screen_name=alice`, { headers: { authorization: `Bearer ${bearer}` } })).status, 503);
    await hits.getByText('1', { exact: true }).waitFor();
    const clock = await page.getByTestId('clock-now').innerText();
    await h.admin('POST', 'clock', { advance_seconds: 3600 });
    await page.getByTestId('clock-now').filter({ hasNotText: clock }).waitFor();
    await stillTyping();
    await h.admin('DELETE', 'faults');
    await page.getByText('No fault rules.').waitFor();

    await go('usage');
    const total = Number((await page.getByTestId('usage-total').innerText()).split(' ')[0]);
    const price = page.getByLabel('price of GET /2/users/by/username/:username in USD');
    await price.click();
    const stillPricing = await typing('price of GET /2/users/by/username/:username in USD', '0.5');
    for (let i = 0; i < 3; i++) await h.client('alice').v2.get('users/by/username/bob');
    await page.getByTestId('usage-total').getByText(`${total + 3} requests`, { exact: true }).waitFor();
    await stillPricing();
    await price.fill('');
    await price.press('Tab');

    await go('data/dave');
    const followers = Number((await page.getByTestId('followers-count').innerText()).split(' ')[0]);
    const alice = h.client('alice');
    const me = (await alice.v2.me()).data.id;
    const stillEditing = await typing('location', 'typing here');
    await alice.v2.unfollow(me, idOf('dave'));
    await page.getByTestId('followers-count').getByText(`${followers - 1} followers`).waitFor();
    await alice.v2.follow(me, idOf('dave'));
    await page.getByTestId('followers-count').getByText(`${followers} followers`).waitFor();
    await stillEditing();
    assert.deepEqual(errors, []);
  });
});
