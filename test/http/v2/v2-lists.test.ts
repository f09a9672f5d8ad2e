// v2 user lists (§1.7, §7.1-7.2, §8.1, §8.4): followers, following, blocking, muting. Page
// sizes (max_results default 100, 1-1000), next_token/previous_token round trips and token
// shapes (base32-style ≥16 characters; decimal for muting, per the OpenAPI parameter schemas),
// meta on every page, the exact empty page, protected lists, unknown and suspended subjects,
// and the recorded replies' shapes. Every reply is validated against the OpenAPI document.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TwitterApi } from 'twitter-api-v2';
import type { Harness, TestUser } from '../../support/harness.js';
import { validateParameter } from '../../support/openapi.js';
import { assertShape, recordedBodies } from '../../support/recorded.js';
import type { Reply } from '../../support/sign.js';
import { assertExact, call, failure, idOf, invalid, notCaller, partial, startV2Harness, text, type Auth } from '../../support/v2.js';

let h: Harness;
let hub: TestUser, pat: TestUser, fan: TestUser, asker: TestUser, loner: TestUser, sam: TestUser;
let followers: TestUser[];
let app: TwitterApi;
const N = 103;
const EMPTY = '{"meta":{"result_count":0}}';

before(async () => {
  h = await startV2Harness();
  const g = h.server.services.graph;
  const actor = (u: TestUser) => ({ userId: u.user.id, appId: h.app.id });
  hub = await h.user('hub');
  pat = await h.user('pat', { protected: true });
  fan = await h.user('fan');
  asker = await h.user('asker');
  loner = await h.user('loner');
  sam = await h.user('sam');
  followers = [];
  for (let i = 0; i < N; i++) {
    const u = await h.user(`f${i}`);
    followers.push(u);
    await g.follow(actor(u), hub.user.id, { notify: false });
  }
  for (const u of followers.slice(0, 20)) await g.follow(actor(hub), u.user.id, { notify: false });
  for (const u of followers.slice(0, 30)) await g.block(actor(fan), u.user.id);
  for (const u of followers.slice(0, 30)) await g.mute(actor(fan), u.user.id);
  await g.follow(actor(fan), pat.user.id, { notify: false });
  await g.accept(actor(pat), fan.user.id);
  await g.follow(actor(asker), pat.user.id, { notify: false }); // stays pending
  await g.follow(actor(sam), pat.user.id, { notify: false });
  await g.accept(actor(pat), sam.user.id);
  await g.follow(actor(sam), hub.user.id, { notify: false });
  await g.setState(sam.user.id, 'suspended');
  app = await h.appClient();
});
after(() => h.close());

const page = (auth: Auth, path: string, query: Record<string, string> = {}): Promise<Reply> => call(h, 'GET', path, auth, { query });
const names = (r: Reply): string[] => (r.json.data ?? []).map((u: { username: string }) => u.username);

/** Walks forward with next_token, then back with previous_token; returns the pages both ways. */
async function walk(auth: Auth, path: string, max: number): Promise<{ forward: Reply[]; back: Reply[] }> {
  const forward: Reply[] = [];
  let r = await page(auth, path, { max_results: String(max) });
  forward.push(r);
  while (r.json.meta.next_token) {
    r = await page(auth, path, { max_results: String(max), pagination_token: r.json.meta.next_token });
    assert.equal(r.status, 200, r.text);
    forward.push(r);
  }
  const back: Reply[] = [r];
  while (r.json.meta.previous_token) {
    r = await page(auth, path, { max_results: String(max), pagination_token: r.json.meta.previous_token });
    assert.equal(r.status, 200, r.text);
    back.unshift(r);
  }
  return { forward, back };
}

function checkMeta(r: Reply): void {
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.meta.result_count, (r.json.data ?? []).length, 'result_count counts data');
  assert.deepEqual(Object.keys(r.json.meta), ['result_count', 'next_token', 'previous_token'].filter((k) => k in r.json.meta), 'meta order');
}

describe('page size', () => {
  test('default max_results is 100, newest follower first; suspended followers left out', async () => {
    const r = await page({ user: fan }, `/2/users/${idOf(hub)}/followers`);
    checkMeta(r);
    assert.equal(r.json.meta.result_count, 100);
    assert.deepEqual(names(r), followers.slice().reverse().slice(0, 100).map((u) => u.user.screenName));
    assert.ok(r.json.meta.next_token && !('previous_token' in r.json.meta));
    const all = await page({ user: fan }, `/2/users/${idOf(hub)}/followers`, { max_results: '1000' });
    assert.equal(all.json.meta.result_count, N);
    assert.ok(!('next_token' in all.json.meta), 'one page holds everything');
    assert.ok(!names(all).includes('sam'));
  });

  test('max_results 1 and 1000 are accepted; 0, 1001, -1, abc and 1.5 are the exact 400', async () => {
    assert.equal((await page({ user: fan }, `/2/users/${idOf(hub)}/following`, { max_results: '1' })).json.meta.result_count, 1);
    for (const bad of ['0', '1001', '-1', 'abc', '1.5']) {
      const r = await page({ user: fan }, `/2/users/${idOf(hub)}/followers`, { max_results: bad });
      assertExact(r, 400, invalid({ parameters: { max_results: [bad] }, message: `The \`max_results\` query parameter value [${bad}] is not between 1 and 1000` }));
    }
  });

  test('every list endpoint shares the limits (blocking and muting too)', async () => {
    for (const list of ['following', 'blocking', 'muting']) {
      const r = await page({ user: fan }, `/2/users/${idOf(fan)}/${list}`, { max_results: '1001' });
      assert.equal(r.status, 400, `${list}: ${r.text}`);
    }
  });
});

describe('tokens', () => {
  test('followers: walking forward then back reproduces every page; tokens ≥16 of [0-9A-Z]', async () => {
    const { forward, back } = await walk({ user: fan }, `/2/users/${idOf(hub)}/followers`, 10);
    assert.equal(forward.length, 11);
    assert.deepEqual(forward.map((r) => r.json.meta.result_count), [...Array(10).fill(10), 3]);
    assert.deepEqual(forward.flatMap(names), followers.slice().reverse().map((u) => u.user.screenName));
    assert.deepEqual(back.map(names), forward.map(names));
    assert.ok(!('previous_token' in back[0]!.json.meta), 'the first page has no previous_token');
    assert.ok(!('next_token' in forward.at(-1)!.json.meta), 'the last page has no next_token');
    for (const r of [...forward, ...back]) {
      checkMeta(r);
      for (const t of [r.json.meta.next_token, r.json.meta.previous_token].filter(Boolean)) {
        assert.match(t, /^[0-9A-Z]{16,}$/);
        validateParameter('GET', '/2/users/{id}/followers', 'pagination_token', t);
      }
    }
  });

  test('following (app-only) and blocking walk the same way', async () => {
    const following = await walk({ bearer: h.app.bearerToken! }, `/2/users/${idOf(hub)}/following`, 7);
    assert.deepEqual(following.forward.flatMap(names), followers.slice(0, 20).reverse().map((u) => u.user.screenName));
    assert.deepEqual(following.back.map(names), following.forward.map(names));
    const blocking = await walk({ user: fan }, `/2/users/${idOf(fan)}/blocking`, 7);
    assert.deepEqual(blocking.forward.flatMap(names), followers.slice(0, 30).reverse().map((u) => u.user.screenName));
    assert.deepEqual(blocking.back.map(names), blocking.forward.map(names));
    for (const r of blocking.forward) {
      for (const t of [r.json.meta.next_token, r.json.meta.previous_token].filter(Boolean)) {
        assert.match(t, /^[0-9A-Z]{16,}$/);
        validateParameter('GET', '/2/users/{id}/blocking', 'pagination_token', t);
      }
    }
  });

  test('muting: decimal tokens of at most 19 digits, round trip', async () => {
    const { forward, back } = await walk({ user: fan }, `/2/users/${idOf(fan)}/muting`, 4);
    assert.equal(forward.length, 8);
    assert.deepEqual(forward.flatMap(names), followers.slice(0, 30).reverse().map((u) => u.user.screenName));
    assert.deepEqual(back.map(names), forward.map(names));
    for (const r of [...forward, ...back]) {
      checkMeta(r);
      for (const t of [r.json.meta.next_token, r.json.meta.previous_token].filter(Boolean)) {
        assert.match(t, /^\d{1,19}$/);
        validateParameter('GET', '/2/users/{id}/muting', 'pagination_token', t);
      }
    }
  });

  test('the client library paginators walk the lists to the end', async () => {
    // A fresh reader: twitter-api-v2 stops paging once x-rate-limit-remaining reads 0, which
    // roost also reports (counting on) when limits are off.
    const reader = await h.user('reader');
    const p = await reader.client.v2.followers(idOf(hub), { asPaginator: true, max_results: 40 });
    await p.fetchLast(1000);
    assert.equal(p.users.length, N);
    for (const u of followers.slice(0, 12)) await h.server.services.graph.mute({ userId: reader.user.id, appId: h.app.id }, u.user.id);
    const m = await reader.client.v2.userMutingUsers(idOf(reader), { max_results: 5 });
    await m.fetchLast(1000);
    assert.equal(m.users.length, 12);
  });

  test('a malformed token, or a muting token on a base32 list, is the 400 naming pagination_token', async () => {
    const muting = (await page({ user: fan }, `/2/users/${idOf(fan)}/muting`, { max_results: '4' })).json.meta.next_token;
    for (const [list, bad] of [['followers', 'nope'], ['followers', muting], ['muting', 'N000000000000001'], ['muting', '0']] as const) {
      const r = await page({ user: fan }, `/2/users/${list === 'muting' ? idOf(fan) : idOf(hub)}/${list}`, { pagination_token: bad });
      assertExact(r, 400, invalid({ parameters: { pagination_token: [bad] }, message: `The \`pagination_token\` query parameter value [${bad}] is not valid` }));
    }
  });
});

describe('shapes', () => {
  test('an empty list is exactly {"meta":{"result_count":0}} on all four lists', async () => {
    for (const list of ['followers', 'following', 'blocking', 'muting']) {
      assertExact(await page({ user: loner }, `/2/users/${idOf(loner)}/${list}`), 200, EMPTY);
    }
  });

  test('pages match the recorded followers, following and muting replies', async () => {
    const followersPage = await page({ bearer: h.app.bearerToken! }, `/2/users/${idOf(hub)}/followers`);
    assertShape(followersPage.json, recordedBodies('test_client_get_users_followers', 'GET', '/2/users/'), { label: 'followers' });
    const singlePage = await page({ user: fan }, `/2/users/${idOf(pat)}/followers`);
    assertShape(singlePage.json, recordedBodies('test_client_get_users_following', 'GET', '/2/users/'), { label: 'single page' });
    const muting = await page({ user: fan }, `/2/users/${idOf(fan)}/muting`);
    assertShape(muting.json, recordedBodies('test_client_mute_get_muted_and_unmute', 'GET', '/2/users/'), { label: 'muting' });
    assert.equal(muting.headers.get('x-access-level'), 'read-write-directmessages');
    assert.equal(muting.headers.get('content-type'), 'application/json; charset=utf-8');
  });

  test('user.fields apply to list items', async () => {
    const { data } = await fan.client.v2.following(idOf(fan), { 'user.fields': 'connection_status,protected' });
    assert.equal(text(data), text([{ connection_status: ['following'], id: idOf(pat), name: 'pat', protected: true, username: 'pat' }]));
  });
});

describe('visibility', () => {
  const blocked = (id: string) => text({ errors: [partial('not-authorized', 'id', id)], meta: { result_count: 0 } });

  test('a protected user\'s lists: hidden from app-only, strangers and pending requesters (200 Authorization Error)', async () => {
    for (const auth of [{ bearer: h.app.bearerToken! }, { user: loner }, { user: asker }] as Auth[]) {
      for (const list of ['followers', 'following']) {
        assertExact(await page(auth, `/2/users/${idOf(pat)}/${list}`), 200, blocked(idOf(pat)));
      }
    }
  });

  test('… visible to accepted followers and to the user; pending requests and suspended users not listed', async () => {
    for (const u of [fan, pat]) {
      const r = await page({ user: u }, `/2/users/${idOf(pat)}/followers`);
      assert.deepEqual(names(r), ['fan']);
    }
    assertExact(await page({ user: pat }, `/2/users/${idOf(pat)}/following`), 200, EMPTY);
  });

  test('unknown and suspended subjects: 200 with the partial error and meta', async () => {
    const unknown = '1600000000000000001';
    assertExact(await page({ user: fan }, `/2/users/${unknown}/followers`), 200, text({ errors: [partial('not-found', 'id', unknown)], meta: { result_count: 0 } }));
    assertExact(await page({ bearer: h.app.bearerToken! }, `/2/users/${idOf(sam)}/following`), 200,
      text({ errors: [partial('suspended', 'id', idOf(sam))], meta: { result_count: 0 } }));
  });

  test('blocking and muting are the caller\'s own: another id is the exact 400; app-only is 403', async () => {
    for (const list of ['blocking', 'muting']) {
      const r = await page({ user: fan }, `/2/users/${idOf(hub)}/${list}`);
      assertExact(r, 400, invalid(notCaller('id', idOf(hub), idOf(fan))));
      const a = await page({ bearer: h.app.bearerToken! }, `/2/users/${idOf(fan)}/${list}`);
      assert.equal(a.status, 403, a.text);
    }
    await failure(fan.client.v2.userBlockingUsers(idOf(hub)), 400);
  });

  test('a malformed path id is the 400 naming id', async () => {
    const r = await page({ user: fan }, '/2/users/abc/followers');
    assertExact(r, 400, invalid({ parameters: { id: ['abc'] }, message: 'The `id` query parameter value [abc] is not valid' }));
  });
});
