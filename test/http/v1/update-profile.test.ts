// POST account/update_profile through the wire, with twitter-api-v2's own method for it: the
// caller's profile changes in one transaction, one event per changed field (with its values
// before and after), Twitter's limits answered 403/120, and no cached user object goes stale.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredEvent } from '../../../src/events/types.js';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';
import { expectV1Error, get, me, namer, showUser } from '../../support/calls.js';

let h: Harness;
const name = namer('p');
before(async () => { h = await startHarness(); });
after(() => h.close());

const mk = (base: string): Promise<TestUser> => h.user(name(base), { name: 'Old Name', description: 'old bio', location: 'Paris' });

/** The events the user raised since `from`, as "type before>after". */
async function eventsOf(u: TestUser, from: bigint): Promise<string[]> {
  const all: StoredEvent[] = await h.server.services.events.log.eventsAfter(from, 1000);
  return all.filter((e) => e.sourceId === u.user.id).map((e) => `${e.type} ${e.before}>${e.after}`);
}
const head = () => h.server.services.events.log.headSeq();

describe('POST account/update_profile', () => {
  test('changes the given fields, answers the caller\'s user, and records one event per changed field', async () => {
    const a = await mk('a');
    const from = await head();
    const r = await a.client.v1.updateAccountProfile({ name: 'New Name', url: 'example.com/me', location: 'Paris', description: 'new bio' });
    assert.equal(r.id_str, a.user.id.toString());
    assert.equal(r.name, 'New Name');
    assert.equal(r.url, 'http://example.com/me', 'a url without a scheme gets http://');
    assert.equal(r.description, 'new bio');
    assert.equal(r.location, 'Paris');
    assert.deepEqual(await eventsOf(a, from), [
      'profile.update.screenname Old Name>New Name',
      'profile.update.url >http://example.com/me',
      'profile.update.bio old bio>new bio',
    ], 'location did not change: no event for it');
    // fields not given stay; an empty url clears it
    const from2 = await head();
    const r2 = await a.client.v1.updateAccountProfile({ url: '' });
    assert.equal(r2.url, null);
    assert.equal(r2.name, 'New Name');
    assert.deepEqual(await eventsOf(a, from2), ['profile.update.url http://example.com/me>']);
    // the same values again change nothing and raise nothing
    const from3 = await head();
    await a.client.v1.updateAccountProfile({ name: 'New Name', description: 'new bio' });
    assert.deepEqual(await eventsOf(a, from3), []);
  });

  test('a U+0000 in a value is dropped, on every backend (PostgreSQL text cannot hold one)', async () => {
    const a = await mk('nul');
    const r = await a.client.v1.updateAccountProfile({ description: 'a\u0000b', location: '\u0000' });
    assert.equal(r.description, 'ab');
    assert.equal(r.location, '');
  });

  test('reads made before the update are not served stale after it', async () => {
    const [a, b] = [await mk('a'), await mk('b')];
    // cached on both sides: the row in the store's cache, the encoded object in the wire's
    for (let i = 0; i < 2; i++) {
      assert.equal((await showUser(b.client, a.user.screenName)).name, 'Old Name');
      assert.equal((await get(b.client, 'users/lookup', { user_id: a.user.id.toString() }))[0].description, 'old bio');
      assert.equal((await me(a.client)).location, 'Paris');
    }
    await a.client.v1.updateAccountProfile({ name: 'Renamed', description: 'bio two', location: 'Lyon' });
    assert.equal((await showUser(b.client, a.user.screenName)).name, 'Renamed');
    assert.equal((await get(b.client, 'users/lookup', { user_id: a.user.id.toString() }))[0].description, 'bio two');
    assert.equal((await me(a.client)).location, 'Lyon');
    const v2 = await b.client.v2.user(a.user.id.toString(), { 'user.fields': ['description', 'location'] });
    assert.deepEqual([v2.data.name, v2.data.description, v2.data.location], ['Renamed', 'bio two', 'Lyon']);
  });

  test('a value over Twitter\'s limit is refused with 403/120 naming the field; nothing changes, no event', async () => {
    const a = await mk('a');
    const from = await head();
    const cases = [
      ['name', 50, 'Name'], ['url', 100, 'Url'], ['location', 30, 'Location'], ['description', 160, 'Description'],
    ] as const;
    for (const [field, max, label] of cases) {
      await expectV1Error(a.client.v1.updateAccountProfile({ name: 'Fine', [field]: 'x'.repeat(max + 1) }), 403, 120,
        `Account update failed: ${label} is too long (maximum is ${max} characters).`);
    }
    assert.equal((await me(a.client)).name, 'Old Name', 'the valid field of a refused update is not stored either');
    assert.deepEqual(await eventsOf(a, from), []);
    // at the limit, counted in characters (an emoji is one)
    const r = await a.client.v1.updateAccountProfile({ name: '🐦'.repeat(50), location: 'é'.repeat(30) });
    assert.equal(r.name, '🐦'.repeat(50));
  });

  test('is counted in a 15-minute window of 15 per user, and listed in rate_limit_status', async () => {
    const h2 = await startHarness({ rateLimits: true });
    try {
      const a = await h2.user(name('rl'));
      const res = await a.client.v1.post('account/update_profile.json', { description: 'one' }, { fullResponse: true });
      assert.equal(res.rateLimit?.limit, 15);
      assert.equal(res.rateLimit?.remaining, 14);
      const status = await get(a.client, 'application/rate_limit_status', { resources: 'account' });
      assert.equal(status.resources.account['/account/update_profile'].limit, 15);
    } finally {
      await h2.close();
    }
  });

  test('needs a user: an app-only bearer is refused', async () => {
    const app = await h.appClient();
    await expectV1Error(app.v1.post('account/update_profile.json', { name: 'x' }), 403, 220);
  });

  test('wakes the event feed of the server', async () => {
    const a = await mk('a');
    const woken = new Promise<void>((resolve) => {
      const off = h.server.services.events.feed.onCommitted(() => { off(); resolve(); });
    });
    await a.client.v1.updateAccountProfile({ description: 'wake up' });
    await woken;
  });
});
