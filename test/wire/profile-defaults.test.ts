// What a default account looks like on the wire: Twitter's post-2016 design for accounts created
// now (as recorded for default accounts of 2016-2020), theme1 kept by accounts stored before,
// default images a client can fetch from the scheme and host it called, and v2 times to the
// second with ".000Z", as recorded.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TwitterApi } from 'twitter-api-v2';
import { startHarness, type Harness, type TestUser } from '../support/harness.js';
import { testDb, type TestDb } from '../support/backend.js';
import { legacyDb } from '../support/legacy-db.js';
import { DESIGN_FIELDS } from '../../scripts/fixtures/build.js';
import { fixture } from '../support/recorded.js';
import { idOf, startV2Harness } from '../support/v2.js';

const pick = (u: Record<string, unknown>) => Object.fromEntries(DESIGN_FIELDS.map((k) => [k, u[k]]));

/** The design fields of recorded default accounts created in `years` (all alike, or the test says which differ). */
function recordedDefaults(years: (y: number) => boolean): Record<string, unknown> {
  // test/fixtures/designs.json: the design members of every recorded user, with its year.
  const found = (fixture('designs.json') as Record<string, unknown>[]).filter((u) => u.default_profile === true && years(u.year as number));
  assert.ok(found.length > 0);
  const distinct = new Set(found.map((u) => JSON.stringify(pick(u))));
  assert.equal(distinct.size, 1, [...distinct].join('\n'));
  return pick(found[0]!);
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

async function assertImage(url: string, from: string): Promise<void> {
  assert.equal(new URL(url).origin, new URL(from).origin, `${url} is not on ${from}`);
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()).subarray(0, 4), PNG);
}

let h: Harness;
let ana: TestUser;
let app: TwitterApi;
// 2019-04-02T17:21:08.123Z: a creation time with milliseconds.
const DATED = { id: 1113131071830515712n, createdAt: 1554225668123 };

before(async () => {
  h = await startV2Harness();
  ana = await h.user('ana');
  const s = h.server.services;
  await s.store.transaction((tx) => tx.insertUser({ id: DATED.id, screenName: 'dated', name: 'Dated', createdAt: DATED.createdAt }));
  await ana.client.v2.follow(idOf(ana), DATED.id.toString());
  app = await h.appClient();
});
after(() => h.close());

describe('accounts created now', () => {
  test('carry the design recorded for default accounts since 2016: F5F8FA, no background image', async () => {
    const u = await app.v1.get('users/show.json', { screen_name: 'ana' });
    assert.deepEqual(pick(u), recordedDefaults((y) => y >= 2016));
  });

  test('their avatar is fetched from the scheme and host called, in v1.1 and v2', async () => {
    const u = await app.v1.get('users/show.json', { screen_name: 'ana' });
    await assertImage(u.profile_image_url, h.url);
    await assertImage(u.profile_image_url_https, h.url);
    for (const size of ['_bigger', '_400x400', '']) await assertImage(u.profile_image_url_https.replace('_normal', size), h.url);
    const { data } = await app.v2.user(idOf(ana), { 'user.fields': 'profile_image_url' });
    await assertImage(data.profile_image_url!, h.url);
  });
});

describe('image origins', () => {
  const avatarVia = async (o: { trustProxy?: boolean; publicUrl?: string }, headers: Record<string, string> = {}) => {
    const ph = await startHarness(o);
    try {
      await ph.user('pic');
      const res = await fetch(`${ph.url}/1.1/users/show.json?screen_name=pic`, { headers: { authorization: `Bearer ${ph.app.bearerToken}`, ...headers } });
      const u = await res.json() as Record<string, string>;
      return [u.profile_image_url, u.profile_image_url_https];
    } finally {
      await ph.close();
    }
  };

  test('behind a trusted TLS proxy, the forwarded scheme and host; with a public URL, that URL', async () => {
    const forwarded = await avatarVia({ trustProxy: true }, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.roost.test' });
    assert.deepEqual(forwarded, Array(2).fill('https://api.roost.test/images/default_profile_normal.png'));
    const configured = await avatarVia({ publicUrl: 'https://roost.example:8443' });
    assert.deepEqual(configured, Array(2).fill('https://roost.example:8443/images/default_profile_normal.png'));
  });
});

describe('accounts stored before', () => {
  let legacy: TestDb;
  let old: Harness;
  before(async () => {
    legacy = await testDb('legacy');
    await legacyDb(legacy.location, 2, [{ id: 4242n, screenName: 'veteran', createdAt: 1400000000000 }]);
    old = await startHarness({ db: legacy.location });
  });
  after(async () => {
    await old.close();
    await legacy.cleanup();
  });

  test('keep theme1, as recorded for default accounts of 2014-2015, with a background image that loads', async () => {
    const client = await old.appClient();
    const u = await client.v1.get('users/show.json', { screen_name: 'veteran' });
    const recorded = recordedDefaults((y) => y >= 2014 && y <= 2015);
    assert.deepEqual({ ...pick(u), profile_background_image_url: null, profile_background_image_url_https: null },
      { ...recorded, profile_background_image_url: null, profile_background_image_url_https: null });
    assert.equal(new URL(u.profile_background_image_url).pathname, new URL(recorded.profile_background_image_url as string).pathname);
    await assertImage(u.profile_background_image_url, old.url);
    await assertImage(u.profile_background_image_url_https, old.url);
    await old.user('newcomer');
    const fresh = await client.v1.get('users/show.json', { screen_name: 'newcomer' });
    assert.equal(fresh.profile_background_color, 'F5F8FA');
  });
});

describe('v2 times', () => {
  test('created_at is to the second with ".000Z" in lookups and lists', async () => {
    const fields = { 'user.fields': 'created_at' };
    const one = await app.v2.user(DATED.id.toString(), fields);
    const many = await app.v2.users([DATED.id.toString()], fields);
    const following = await app.v2.following(idOf(ana), fields);
    for (const u of [one.data, many.data[0], following.data[0]]) assert.equal(u?.created_at, '2019-04-02T17:21:08.000Z');
  });
});
