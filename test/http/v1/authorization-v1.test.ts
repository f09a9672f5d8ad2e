// Object-level rules of the v1.1 surface: for every endpoint that reads or changes one account's
// graph, a caller who may not see or change it tries and gets Twitter's answer, and the owner's
// data is left as it was (docs/security.md §Authorization).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createToken } from '../../../src/admin/accounts.js';
import { authorizationCast } from '../../support/authorization-fixture.js';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';
import { assertV1Error, bearerOf, raw, type RawAuth } from '../../support/raw.js';

let h: Harness;
/** the cast of test/support/authorization-fixture.ts */
let pat: TestUser, fan: TestUser, req: TestUser, eve: TestUser, blk: TestUser, mtd: TestUser, pub: TestUser;

before(async () => {
  h = await startHarness();
  ({ pat, fan, req, eve, blk, mtd, pub } = await authorizationCast(h, 'az'));
});
after(() => h.close());

const idOf = (u: TestUser) => u.user.id.toString();
const user = (u: TestUser): RawAuth => ({ user: u });
const get = (auth: RawAuth, name: string, query: Record<string, string> = {}) => raw(h, 'GET', `/1.1/${name}.json`, auth, { query });
const post = (auth: RawAuth, name: string, form: Record<string, string>) => raw(h, 'POST', `/1.1/${name}.json`, auth, { form });
const ids = async (auth: RawAuth, name: string, query: Record<string, string> = {}) => {
  const r = await get(auth, name, { ...query, stringify_ids: 'true' });
  assert.equal(r.status, 200, r.text);
  return r.json.ids as string[];
};

describe("a protected account's follower and friend lists", () => {
  const LISTS = ['followers/ids', 'followers/list', 'friends/ids', 'friends/list'];
  const NOT_AUTHORIZED = (name: string) => JSON.stringify({ request: `/1.1/${name}.json`, error: 'Not authorized.' });

  for (const name of LISTS) {
    test(`${name}: a stranger, a pending requester and an app get 401 "Not authorized.", by id and by name`, async () => {
      for (const [who, auth] of [['stranger', user(eve)], ['pending requester', user(req)], ['app-only', bearerOf(h)]] as const) {
        for (const query of [{ user_id: idOf(pat) }, { screen_name: 'AZ_PAT' }] as Record<string, string>[]) {
          const r = await get(auth, name, query);
          assert.equal(r.status, 401, `${who} ${JSON.stringify(query)}: ${r.text}`);
          assert.equal(r.text, NOT_AUTHORIZED(name), who);
          assert.equal(r.headers.get('content-type'), 'application/json;charset=utf-8');
        }
      }
    });

    test(`${name}: the owner and an approved follower see it`, async () => {
      const expected = name.startsWith('followers') ? idOf(fan) : idOf(pub);
      for (const auth of [user(pat), user(fan)]) {
        const r = await get(auth, name, { user_id: idOf(pat), stringify_ids: 'true' });
        assert.equal(r.status, 200, r.text);
        const got = name.endsWith('/ids') ? r.json.ids : r.json.users.map((u: { id_str: string }) => u.id_str);
        assert.deepEqual(got, [expected]);
      }
    });
  }
});

describe("lists that are always the caller's own", () => {
  const OWN: [string, () => TestUser][] = [
    ['friendships/incoming', () => req], ['friendships/outgoing', () => pat], ['blocks/ids', () => blk],
    ['blocks/list', () => blk], ['mutes/users/ids', () => mtd], ['mutes/users/list', () => mtd],
  ];
  const listed = async (auth: RawAuth, name: string, query: Record<string, string> = {}) => {
    if (name.endsWith('/ids') || name.startsWith('friendships/')) return ids(auth, name, query);
    const r = await get(auth, name, query);
    assert.equal(r.status, 200, r.text);
    return (r.json.users as { id_str: string }[]).map((u) => u.id_str);
  };

  for (const [name, entry] of OWN) {
    test(`${name}: naming another account in user_id or screen_name still lists the caller's own`, async () => {
      const owner = name === 'friendships/outgoing' ? req : pat;
      assert.deepEqual(await listed(user(owner), name), [name === 'friendships/outgoing' ? idOf(pat) : idOf(entry())], 'the owner sees it');
      for (const query of [{ user_id: idOf(owner) }, { screen_name: owner.user.screenName }, { id: idOf(owner) }] as Record<string, string>[]) {
        assert.deepEqual(await listed(user(eve), name, query), [], `${JSON.stringify(query)} leaked the owner's list`);
      }
    });

    test(`${name}: app-only auth is refused with 403/220`, async () => {
      assertV1Error(await get(bearerOf(h), name, { user_id: idOf(pat) }), 403, 220, 'Your credentials do not allow access to this resource');
    });
  }
});

describe('friendships/show between two other accounts', () => {
  test('hides the private half of the relationship (blocking, muting, requests) from a third party', async () => {
    for (const [target, field] of [[blk, 'blocking'], [mtd, 'muting']] as const) {
      const mine = await get(user(pat), 'friendships/show', { source_id: idOf(pat), target_id: idOf(target) });
      assert.equal(mine.json.relationship.source[field], true, 'the owner sees it');
      // fan may read protected pat's lists, so sees the relationship's public half.
      for (const auth of [user(fan)]) {
        const r = await get(auth, 'friendships/show', { source_id: idOf(pat), target_id: idOf(target) });
        assert.equal(r.status, 200, r.text);
        const s = r.json.relationship.source;
        for (const k of ['blocking', 'blocked_by', 'muting', 'following_requested', 'following_received', 'notifications_enabled', 'want_retweets']) {
          assert.equal(s[k], null, `${k} leaked to a third party`);
        }
      }
    }
    const pending = await get(user(fan), 'friendships/show', { source_id: idOf(req), target_id: idOf(pat) });
    assert.equal(pending.json.relationship.source.following_requested, null);
    assert.equal(pending.json.relationship.target.following_received, null);
  });

  test('with a protected end, everyone its lists refuse gets their 401: strangers, requesters, app-only', async () => {
    for (const auth of [user(eve), user(req), bearerOf(h)]) {
      for (const q of [{ source_id: idOf(pat), target_id: idOf(pub) }, { source_id: idOf(pub), target_id: idOf(pat) }]) {
        const r = await get(auth, 'friendships/show', q);
        assert.equal(r.status, 401, r.text);
        assert.equal(r.text, '{"request":"/1.1/friendships/show.json","error":"Not authorized."}');
      }
    }
  });
});

describe("writes that could touch another account's relationships", () => {
  const stillPending = async () => assert.deepEqual(await ids(user(pat), 'friendships/incoming'), [idOf(req)], 'the request to pat is gone');

  test("friendships/accept and deny: a request addressed to someone else is 404/34, and stays pending", async () => {
    for (const name of ['friendships/accept', 'friendships/deny']) {
      for (const form of [{ user_id: idOf(req) }, { screen_name: req.user.screenName }] as Record<string, string>[]) {
        assertV1Error(await post(user(eve), name, form), 404, 34, 'Sorry, that page does not exist.');
        await stillPending();
      }
    }
  });

  test("friendships/cancel: someone else's outgoing request is 404/34, and stays pending", async () => {
    assertV1Error(await post(user(eve), 'friendships/cancel', { user_id: idOf(pat) }), 404, 34, 'Sorry, that page does not exist.');
    await stillPending();
  });

  test('friendships/accept_all accepts only requests addressed to the caller', async () => {
    const r = await post(user(eve), 'friendships/accept_all', {});
    assert.equal(r.status, 200, r.text);
    await stillPending();
  });

  test("friendships/destroy, blocks/destroy and mutes/users/destroy act on the caller's own edge only", async () => {
    await post(user(eve), 'friendships/destroy', { user_id: idOf(pat) });
    assert.deepEqual(await ids(user(pat), 'followers/ids', { user_id: idOf(pat) }), [idOf(fan)], "fan's follow of pat survived");
    await post(user(eve), 'blocks/destroy', { user_id: idOf(blk) });
    assert.deepEqual(await ids(user(pat), 'blocks/ids'), [idOf(blk)], "pat's block survived");
    assertV1Error(await post(user(eve), 'mutes/users/destroy', { user_id: idOf(mtd) }), 403, 272, 'You are not muting the specified user.');
    assert.deepEqual(await ids(user(pat), 'mutes/users/ids'), [idOf(mtd)], "pat's mute survived");
  });

  test('a read-only token cannot write: 401 "Read-only application cannot POST."', async () => {
    const s = h.server.services;
    const ro = await createToken(s.store, s.clock, h.app, eve.user, 'read');
    const auth: RawAuth = { user: { ...eve, token: ro.token, secret: ro.secret } };
    for (const name of ['friendships/create', 'blocks/create', 'mutes/users/create', 'friendships/accept']) {
      const r = await post(auth, name, { user_id: idOf(pub) });
      assert.equal(r.status, 401, `${name}: ${r.text}`);
      assert.equal(r.text, JSON.stringify({ request: `/1.1/${name}.json`, error: 'Read-only application cannot POST.' }));
    }
    assert.deepEqual(await ids(user(eve), 'friends/ids', { user_id: idOf(eve) }), []);
  });
});
