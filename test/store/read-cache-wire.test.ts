// Through the wire, a cached answer is never stale: a user, an ids page, a token and an app are
// read (and so cached), changed by every path that changes them — a follow in this process;
// protect, suspend, token revoke and app callbacks through bin/roost in another process; token
// and bearer invalidation through the API — and the next read shows the change at once.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { expectV1Error, get, ids, post } from '../support/calls.js';
import { startHarness, type Harness, type TestUser } from '../support/harness.js';
import { basic, send, sendSigned, signedRequest } from '../support/sign.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/roost', import.meta.url).pathname;

let h: Harness;
let alice: TestUser;
let bob: TestUser;

/** bin/roost in a process of its own, on the server's database. */
const roost = (...args: string[]) => run(process.execPath, [BIN, ...args, '--db', h.dbLocation]);
const show = (as: TestUser, user: TestUser) => get(as.client, 'users/show', { user_id: user.user.id.toString() });
const relationship = async () => (await get(bob.client, 'friendships/show', { source_id: bob.user.id.toString(), target_id: alice.user.id.toString() })).relationship;

before(async () => {
  h = await startHarness();
  alice = await h.user('fresh_alice');
  bob = await h.user('fresh_bob');
});
after(() => h.close());

describe('answers served from memory', () => {
  test('a follow shows in both users and both id lists at the next read', async () => {
    for (let i = 0; i < 2; i++) {
      assert.equal((await show(bob, alice)).followers_count, 0);
      assert.deepEqual(await ids(bob.client, 'followers/ids', { user_id: alice.user.id.toString() }), []);
      assert.equal((await show(alice, bob)).friends_count, 0);
      assert.equal((await relationship()).source.following, false);
    }
    await post(bob.client, 'friendships/create', { user_id: alice.user.id.toString() });
    assert.equal((await relationship()).source.following, true);
    assert.equal((await relationship()).source.notifications_enabled, false);
    await post(bob.client, 'friendships/update', { user_id: alice.user.id.toString(), device: true });
    assert.equal((await relationship()).source.notifications_enabled, true);
    assert.equal((await show(bob, alice)).followers_count, 1);
    assert.equal((await show(alice, bob)).friends_count, 1);
    assert.deepEqual(await ids(bob.client, 'followers/ids', { user_id: alice.user.id.toString() }), [bob.user.id.toString()]);
    assert.deepEqual(await ids(alice.client, 'friends/ids', { user_id: bob.user.id.toString() }), [alice.user.id.toString()]);
  });

  test('protect and suspend by bin/roost in another process show at the next read', async () => {
    assert.equal((await show(bob, alice)).protected, false);
    await roost('users', 'protect', 'fresh_alice');
    assert.equal((await show(bob, alice)).protected, true);
    await roost('users', 'unprotect', 'fresh_alice');
    assert.equal((await show(bob, alice)).protected, false);

    assert.equal((await show(alice, bob)).friends_count, 1);
    assert.deepEqual(await ids(alice.client, 'friends/ids', { user_id: bob.user.id.toString() }), [alice.user.id.toString()]);
    await roost('users', 'suspend', 'fresh_alice');
    await expectV1Error(show(bob, alice), 403, 63);
    // The suspension moved bob's count and list too, in the other process's transaction.
    assert.equal((await show(bob, bob)).friends_count, 0);
    assert.deepEqual(await ids(bob.client, 'friends/ids', { user_id: bob.user.id.toString() }), []);
    await roost('users', 'unsuspend', 'fresh_alice');
    assert.equal((await show(bob, alice)).followers_count, 1);
    assert.equal((await show(bob, bob)).friends_count, 1);
    assert.deepEqual(await ids(bob.client, 'friends/ids', { user_id: bob.user.id.toString() }), [alice.user.id.toString()]);
  });

  test('a token revoked by bin/roost, or through the API, is refused at its next use', async () => {
    const carol = await h.user('fresh_carol');
    assert.equal((await show(carol, alice)).screen_name, 'fresh_alice');
    await roost('tokens', 'revoke', carol.token);
    await expectV1Error(show(carol, alice), 401, 89);

    const dave = await h.user('fresh_dave');
    assert.equal((await show(dave, alice)).screen_name, 'fresh_alice');
    await post(dave.client, 'oauth/invalidate_token');
    await expectV1Error(show(dave, alice), 401, 89);
  });

  test('an app bearer invalidated through the API is refused at its next use', async () => {
    const app = await h.appClient();
    assert.equal((await app.v1.get('users/show.json', { user_id: alice.user.id.toString() })).screen_name, 'fresh_alice');
    const bearer = h.app.bearerToken!;
    const r = await send(`${h.url}/oauth2/invalidate_token`, {
      method: 'POST', body: `access_token=${encodeURIComponent(bearer)}`,
      headers: { authorization: basic(h.app.consumerKey, h.app.consumerSecret), 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 200, r.text);
    await expectV1Error(app.v1.get('users/show.json', { user_id: alice.user.id.toString() }), 401, 89);
  });

  test('callback URLs changed by bin/roost in another process apply to the next request_token', async () => {
    const callback = 'https://fresh.example/callback';
    const requestToken = () => sendSigned(signedRequest({ consumerKey: h.app.consumerKey, consumerSecret: h.app.consumerSecret }, {
      method: 'POST', origin: h.url, path: '/oauth/request_token', form: [['oauth_callback', callback]],
    }));
    for (let i = 0; i < 2; i++) assert.equal((await requestToken()).status, 403);
    await roost('apps', 'update', h.app.consumerKey, '--callback-url', callback);
    const r = await requestToken();
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /oauth_callback_confirmed=true$/);
    await roost('apps', 'update', h.app.consumerKey, '--no-callback-urls');
    assert.equal((await requestToken()).status, 403);
  });
});
