// 64-bit ids on the wire (§4) and cursoring (§5): exact digits in the raw body text, page
// walks forward and back, and walks that stay correct while the graph changes under them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';
import { assertV1Error, bearerOf, raw, rawIdsArray, rawIntegers } from '../../support/raw.js';
import { allIds, follow, idOf, unfollow, users } from '../../support/reads.js';

const TWO_53 = 2n ** 53n;

let h: Harness;
let sun: TestUser;
let fans: TestUser[]; // sun's followers, in the order they followed
/** sun's followers, newest first, as the setup made them */
let newestFirst: string[];

before(async () => {
  h = await startHarness();
  sun = await h.user('sun', { url: 'https://example.org/sun' });
  fans = await users(h, 'fan', 25);
  for (const f of fans) await follow(f, sun);
  newestFirst = fans.map(idOf).reverse();
});
after(() => h.close());

interface IdsPage {
  ids: string[];
  next_cursor: number; next_cursor_str: string; previous_cursor: number; previous_cursor_str: string; total_count: null;
}

const idsPage = (u: TestUser, params: Record<string, string>): Promise<IdsPage> =>
  u.client.v1.get('followers/ids.json', { screen_name: 'sun', stringify_ids: 'true', ...params });

/** Follows next_cursor_str from the first page until 0; returns every page. */
async function walk<P extends { next_cursor_str: string }>(get: (cursor: string) => Promise<P>): Promise<P[]> {
  const pages: P[] = [];
  let cursor = '-1';
  while (cursor !== '0') {
    const p = await get(cursor);
    pages.push(p);
    cursor = p.next_cursor_str;
    assert.ok(pages.length < 100, 'walk does not end');
  }
  return pages;
}

describe('64-bit ids in the raw body', () => {
  test('users/show: "id" is the exact integer, above 2^53, and id_str has the same digits', async () => {
    const r = await raw(h, 'GET', '/1.1/users/show.json', bearerOf(h), { query: { screen_name: 'sun' } });
    assert.equal(r.status, 200);
    const expected = idOf(sun);
    assert.ok(BigInt(expected) > TWO_53, 'snowflake ids exceed 2^53');
    assert.equal(rawIntegers(r.text, 'id')[0], expected);
    assert.equal(r.json.id_str, expected);
    assert.ok(r.text.startsWith(`{"id":${expected},"id_str":"${expected}",`), r.text.slice(0, 80));
  });

  test('users/show?user_id= parses the id without rounding', async () => {
    const exact = await raw(h, 'GET', '/1.1/users/show.json', bearerOf(h), { query: { user_id: idOf(sun) } });
    assert.equal(exact.json.id_str, idOf(sun));
    const rounded = BigInt(Number(sun.user.id)).toString(); // what a double would make of it
    if (rounded !== idOf(sun)) {
      const r = await raw(h, 'GET', '/1.1/users/show.json', bearerOf(h), { query: { user_id: rounded } });
      assert.ok(r.status === 404 || r.json.id_str === rounded, 'a rounded id never finds the original user');
    }
  });

  test('followers/ids: integer ids exact; stringify_ids gives the same digits as strings', async () => {
    const ints = await raw(h, 'GET', '/1.1/followers/ids.json', bearerOf(h), { query: { screen_name: 'sun' } });
    assert.deepEqual(rawIdsArray(ints.text), newestFirst);
    const strs = await raw(h, 'GET', '/1.1/followers/ids.json', bearerOf(h), { query: { screen_name: 'sun', stringify_ids: 'true' } });
    assert.deepEqual(rawIdsArray(strs.text), newestFirst.map((id) => `"${id}"`));
    for (const text of [ints.text, strs.text]) {
      assert.deepEqual(rawIntegers(text, 'next_cursor'), ['0']);
      assert.ok(text.includes('"next_cursor_str":"0"') && text.includes('"previous_cursor":0,"previous_cursor_str":"0"'));
    }
  });

  test('cursors: integer tokens equal to their _str twins, within ±(2^53-1)', async () => {
    const first = await raw(h, 'GET', '/1.1/followers/ids.json', bearerOf(h), { query: { screen_name: 'sun', count: '5' } });
    const second = await raw(h, 'GET', '/1.1/followers/ids.json', bearerOf(h), { query: { screen_name: 'sun', count: '5', cursor: first.json.next_cursor_str } });
    for (const r of [first, second]) {
      for (const name of ['next_cursor', 'previous_cursor']) {
        const [token] = rawIntegers(r.text, name);
        assert.equal(token, r.json[`${name}_str`], name);
        assert.ok(BigInt(token!) <= TWO_53 - 1n && BigInt(token!) >= -(TWO_53 - 1n), `${name} ${token}`);
      }
    }
    assert.ok(BigInt(first.json.next_cursor_str) > 0n);
    assert.ok(BigInt(second.json.previous_cursor_str) < 0n);
  });

  test('every user object, relationship and lookup item carries "id":N,"id_str":"N" with equal digits', async () => {
    const some = fans.slice(0, 5).map(idOf);
    const bodies = [
      (await raw(h, 'GET', '/1.1/users/lookup.json', bearerOf(h), { query: { user_id: some.join(',') } })).text,
      (await raw(h, 'GET', '/1.1/followers/list.json', bearerOf(h), { query: { screen_name: 'sun', count: '200' } })).text,
      (await raw(h, 'GET', '/1.1/friendships/show.json', bearerOf(h), { query: { source_id: some[0]!, target_id: idOf(sun) } })).text,
      (await raw(h, 'GET', '/1.1/friendships/lookup.json', { user: sun }, { query: { user_id: some.join(',') } })).text,
    ];
    for (const text of bodies) {
      const pairs = [...text.matchAll(/"id":(\d+),"id_str":"(\d+)"/g)];
      assert.ok(pairs.length > 0, text.slice(0, 100));
      for (const [, n, s] of pairs) assert.equal(n, s);
      assert.equal(rawIntegers(text, 'id').length, pairs.length, 'every "id" is followed by its id_str');
    }
    const lookedUp = [...bodies[0]!.matchAll(/"id":(\d+),/g)].map((m) => m[1]);
    assert.deepEqual(lookedUp, some);
  });
});

describe('walking pages', () => {
  test('one page with count=5000 holds every follower, newest first', async () => {
    assert.deepEqual(await allIds(sun.client, 'followers/ids.json', {}), newestFirst);
  });

  test('ids with count=7: forward walk to 0 concatenates to the full list; cursor fields as §5', async () => {
    const pages = await walk((cursor) => idsPage(sun, { count: '7', cursor }));
    assert.deepEqual(pages.map((p) => p.ids.length), [7, 7, 7, 4]);
    assert.deepEqual(pages.flatMap((p) => p.ids), newestFirst);
    pages.forEach((p, i) => {
      assert.equal(p.next_cursor_str, String(p.next_cursor));
      assert.equal(p.previous_cursor_str, String(p.previous_cursor));
      assert.equal(p.total_count, null);
      if (i === 0) assert.equal(p.previous_cursor, 0);
      else assert.ok(p.previous_cursor < 0, `page ${i} previous_cursor ${p.previous_cursor}`);
      if (i === pages.length - 1) assert.equal(p.next_cursor, 0);
      else assert.ok(p.next_cursor > 0);
    });
  });

  test('ids: following previous_cursor returns the previous page exactly', async () => {
    const pages = await walk((cursor) => idsPage(sun, { count: '7', cursor }));
    for (let i = pages.length - 1; i > 0; i--) {
      const back = await idsPage(sun, { count: '7', cursor: pages[i]!.previous_cursor_str });
      assert.deepEqual(back, pages[i - 1], `back from page ${i}`);
    }
  });

  test('list with count=3: forward walk matches the full list; walking back from the end reproduces every page', async () => {
    const get = (cursor: string) => sun.client.v1.get('followers/list.json', { count: '3', cursor });
    const pages = await walk(get);
    assert.equal(pages.length, Math.ceil(fans.length / 3));
    assert.deepEqual(pages.flatMap((p) => p.users.map((u: { id_str: string }) => u.id_str)), newestFirst);
    assert.equal(pages[0]!.previous_cursor, 0);
    for (let i = pages.length - 1; i > 0; i--) {
      assert.ok(pages[i]!.previous_cursor < 0);
      assert.deepEqual(await get(pages[i]!.previous_cursor_str), pages[i - 1], `back from page ${i}`);
    }
  });

  test('a page that starts with the oldest edge of the database (position 1) can still be walked back from', async () => {
    // fan0 -> sun was the first edge ever created here; with count=3 it is alone on the last page.
    // Its previous cursor must not be -1, which means "first page" (spec §5.3 claimed no special case was needed).
    const pages = await walk((cursor) => idsPage(sun, { count: '3', cursor }));
    const last = pages[pages.length - 1]!;
    assert.deepEqual(last.ids, [idOf(fans[0]!)]);
    assert.ok(last.previous_cursor < -1, `previous_cursor ${last.previous_cursor}`);
    assert.deepEqual(await idsPage(sun, { count: '3', cursor: last.previous_cursor_str }), pages[pages.length - 2]);
  });

  test('friends/ids is newest follow first', async () => {
    const [a, b, c] = fans;
    const ids = await allIds(fans[24]!.client, 'friends/ids.json', {});
    assert.deepEqual(ids, [idOf(sun)]);
    await follow(fans[24]!, a!);
    await follow(fans[24]!, c!);
    await follow(fans[24]!, b!);
    assert.deepEqual(await allIds(fans[24]!.client, 'friends/ids.json', {}), [b, c, a, sun].map((u) => idOf(u!)));
  });

  test('cursor=0 is an empty page with zero cursors', async () => {
    const empty = { next_cursor: 0, next_cursor_str: '0', previous_cursor: 0, previous_cursor_str: '0', total_count: null };
    assert.deepEqual(await idsPage(sun, { cursor: '0' }), { ids: [], ...empty });
    assert.deepEqual(await sun.client.v1.get('followers/list.json', { cursor: '0' }), { users: [], ...empty });
  });

  test('a malformed cursor is 400/44 "cursor parameter is invalid."', async () => {
    for (const path of ['/1.1/followers/ids.json', '/1.1/followers/list.json', '/1.1/friends/ids.json', '/1.1/blocks/ids.json']) {
      for (const cursor of ['abc', '12x', '1.5', '99999999999999999999999']) {
        const r = await raw(h, 'GET', path, { user: sun }, { query: { cursor } });
        assertV1Error(r, 400, 44, 'cursor parameter is invalid.');
      }
    }
  });
});

describe('walks while the graph changes', () => {
  test('new follows and unfollows during a walk: no id twice, no steady follower skipped', async () => {
    const moon = await h.user('moon');
    const early = await users(h, 'early', 30);
    for (const u of early) await follow(u, moon);
    const late = await users(h, 'late', 12);
    const leaving = new Set([early[3], early[10], early[17], early[25], early[28]].map((u) => idOf(u!)));
    const refollowing = early[20]!; // its edge is re-created mid-walk, so it did not exist throughout
    const steady = early.map(idOf).filter((id) => !leaving.has(id) && id !== idOf(refollowing));

    const seen: string[] = [];
    let cursor = '-1';
    let step = 0;
    while (cursor !== '0') {
      const p = await moon.client.v1.get('followers/ids.json', { count: '4', cursor, stringify_ids: 'true' });
      seen.push(...(p.ids as string[]));
      cursor = p.next_cursor_str;
      // between pages: two new followers, one departure, and once an unfollow-and-follow-again
      for (const u of late.slice(step * 2, step * 2 + 2)) await follow(u, moon);
      const gone = [...leaving][step];
      if (gone) await unfollow(early.find((u) => idOf(u) === gone)!, moon);
      if (step === 1) {
        await unfollow(refollowing, moon);
        await follow(refollowing, moon);
      }
      step++;
    }
    assert.equal(new Set(seen).size, seen.length, `repeated ids in ${seen.join(',')}`);
    for (const id of steady) assert.ok(seen.includes(id), `steady follower ${id} skipped`);
    const everFollowed = new Set([...early, ...late].map(idOf));
    for (const id of seen) assert.ok(everFollowed.has(id));
  });

  test('a re-follow moves the follower to the front', async () => {
    const star = await h.user('star');
    const [x, y, z] = await users(h, 'rf', 3);
    for (const u of [x!, y!, z!]) await follow(u, star);
    assert.deepEqual(await allIds(star.client, 'followers/ids.json', {}), [z, y, x].map((u) => idOf(u!)));
    await unfollow(x!, star);
    await follow(x!, star);
    assert.deepEqual(await allIds(star.client, 'followers/ids.json', {}), [x, z, y].map((u) => idOf(u!)));
    const list = await star.client.v1.get('followers/list.json', {});
    assert.deepEqual(list.users.map((u: { id_str: string }) => u.id_str), [x, z, y].map((u) => idOf(u!)));
    // following again while already following changes nothing
    await follow(y!, star);
    assert.deepEqual(await allIds(star.client, 'followers/ids.json', {}), [x, z, y].map((u) => idOf(u!)));
  });
});
