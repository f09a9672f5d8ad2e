// Cursor walks (spec §5) over followers/ids and friends/ids through the HTTP API while the list
// changes under them (follows, unfollows, suspensions, deactivations and their reversal): no id
// twice, every edge that stayed put for the whole walk exactly once, and previous_cursor from the
// last page walks back over the same pages.
// ROOST_CURSOR_RUNS sets the number of walks (default 50).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';

const RUNS = Number(process.env.ROOST_CURSOR_RUNS ?? 50);
const EXTRAS = 4; // users who do not follow the subject when the walk starts

interface IdsPage {
  ids: string[];
  next_cursor: number;
  next_cursor_str: string;
  previous_cursor: number;
  previous_cursor_str: string;
}

type Mutation = { who: number; action: 'toggle' | 'refollow' | 'suspend' | 'deactivate' };
type List = 'followers/ids.json' | 'friends/ids.json';

let h: Harness;
let runNo = 0;

before(async () => {
  h = await startHarness({
    follow: { followsPerDay: null, followsPerAppPerDay: null, followingCap: null, followingRatio: 1.1 },
  });
});
after(async () => {
  await h?.close();
});

async function page(list: List, viewer: TestUser, subject: TestUser, cursor: string, count: number): Promise<IdsPage> {
  const body = await viewer.client.v1.get<IdsPage>(list, {
    user_id: String(subject.user.id), cursor, count, stringify_ids: true,
  });
  assert.equal(typeof body.next_cursor, 'number');
  assert.equal(String(body.next_cursor), body.next_cursor_str);
  assert.equal(String(body.previous_cursor), body.previous_cursor_str);
  assert.ok(Math.abs(body.next_cursor) <= Number.MAX_SAFE_INTEGER && Math.abs(body.previous_cursor) <= Number.MAX_SAFE_INTEGER);
  return body;
}

/** A complete walk with no changes in between: every page, first to last. */
async function cleanWalk(list: List, viewer: TestUser, subject: TestUser, count: number): Promise<IdsPage[]> {
  const pages = [await page(list, viewer, subject, '-1', count)];
  while (pages[pages.length - 1]!.next_cursor !== 0) {
    pages.push(await page(list, viewer, subject, pages[pages.length - 1]!.next_cursor_str, count));
    assert.ok(pages.length < 1000, 'walk does not end');
  }
  return pages;
}

const scenario = fc.record({
  list: fc.constantFrom<List>('followers/ids.json', 'friends/ids.json'),
  followers: fc.integer({ min: 0, max: 30 }),
  count: fc.integer({ min: 3, max: 10 }),
  // mutations[i] run after page i is read
  mutations: fc.array(
    fc.array(
      fc.record({
        who: fc.nat(),
        action: fc.constantFrom<Mutation['action']>('toggle', 'toggle', 'refollow', 'suspend', 'deactivate'),
      }),
      { maxLength: 4 },
    ),
    { maxLength: 12 },
  ),
});

test('followers/ids and friends/ids: a cursor walk interleaved with follows, unfollows and state changes returns each stable edge exactly once', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async ({ list, followers, count, mutations }) => {
      const run = ++runNo;
      const subject = await h.user(`cw${run}_s`);
      const viewer = await h.user(`cw${run}_v`);
      const pool: TestUser[] = [];
      for (let i = 0; i < followers + EXTRAS; i++) pool.push(await h.user(`cw${run}_${i}`));
      const following = new Set<number>();
      const suspended = new Set<number>();
      // pool[i] follows the subject (followers/ids) or the subject follows pool[i] (friends/ids).
      const edge = (i: number, path: 'friendships/create.json' | 'friendships/destroy.json') =>
        list === 'followers/ids.json'
          ? pool[i]!.client.v1.post(path, { user_id: String(subject.user.id) })
          : subject.client.v1.post(path, { user_id: String(pool[i]!.user.id) });
      for (let i = 0; i < followers; i++) {
        await edge(i, 'friendships/create.json');
        following.add(i);
      }
      const before = new Set(following);
      const touched = new Set<number>();

      async function mutate(m: Mutation): Promise<void> {
        const i = m.who % pool.length;
        const u = pool[i]!;
        touched.add(i);
        if (m.action === 'suspend' || m.action === 'deactivate') {
          // an operator hides and restores a user; its edge keeps its place
          const hidden = suspended.has(i);
          await h.server.services.graph.setState(u.user.id, hidden ? 'active' : m.action === 'suspend' ? 'suspended' : 'deactivated');
          if (hidden) suspended.delete(i);
          else suspended.add(i);
          return;
        }
        if (suspended.has(i)) return; // a hidden caller or target is refused (63, 64, 50)
        if (following.has(i)) {
          await edge(i, 'friendships/destroy.json');
          following.delete(i);
          if (m.action === 'toggle') return;
        }
        await edge(i, 'friendships/create.json');
        following.add(i);
      }

      // The walk, with other users acting between pages.
      const seen: string[] = [];
      let cursor = '-1';
      for (let n = 0; ; n++) {
        const p = await page(list, viewer, subject, cursor, count);
        assert.ok(p.ids.length <= count, 'page longer than count');
        seen.push(...p.ids);
        if (p.next_cursor === 0) break;
        assert.ok(p.ids.length > 0, 'an empty page that is not the last');
        cursor = p.next_cursor_str;
        for (const m of mutations[n] ?? []) await mutate(m);
        assert.ok(n < 1000, 'walk does not end');
      }

      const idOf = (i: number) => String(pool[i]!.user.id);
      const poolIds = new Set(pool.map((u) => String(u.user.id)));
      assert.equal(new Set(seen).size, seen.length, `an id came back twice: ${seen.join(',')}`);
      for (const id of seen) assert.ok(poolIds.has(id), `stranger ${id} in the walk`);
      const seenSet = new Set(seen);
      for (const i of before) {
        if (!touched.has(i)) assert.ok(seenSet.has(idOf(i)), `stable follower ${i} missing from the walk`);
      }

      // While some are hidden, a walk lists exactly the edges to those still active.
      const visible = (await cleanWalk(list, viewer, subject, count)).flatMap((p) => p.ids);
      assert.deepEqual([...visible].sort(), [...following].filter((i) => !suspended.has(i)).map(idOf).sort(), 'walk while hidden');

      // Everyone back, then a clean walk forward and the same pages walked backward.
      for (const i of suspended) await h.server.services.graph.setState(pool[i]!.user.id, 'active');
      const forward = await cleanWalk(list, viewer, subject, count);
      const all = forward.flatMap((p) => p.ids);
      assert.deepEqual([...all].sort(), [...following].map(idOf).sort(), 'clean walk = current followers');
      assert.equal(new Set(all).size, all.length);
      assert.equal(forward[0]!.previous_cursor, 0, 'first page has no previous page');
      for (const p of forward.slice(0, -1)) assert.equal(p.ids.length, count, 'full pages except the last');

      const backward: IdsPage[] = [forward[forward.length - 1]!];
      while (backward[backward.length - 1]!.previous_cursor !== 0) {
        backward.push(await page(list, viewer, subject, backward[backward.length - 1]!.previous_cursor_str, count));
        assert.ok(backward.length <= forward.length, 'walking back went past the first page');
      }
      backward.reverse();
      assert.equal(backward.length, forward.length, 'as many pages back as forward');
      for (const [k, p] of backward.entries()) {
        const f = forward[k]!;
        assert.deepEqual(p.ids, f.ids, `page ${k} ids walking back`);
        assert.equal(p.next_cursor_str, f.next_cursor_str, `page ${k} next_cursor walking back`);
        assert.equal(p.previous_cursor_str, f.previous_cursor_str, `page ${k} previous_cursor walking back`);
      }
    }),
    { numRuns: RUNS, includeErrorInReport: true },
  );
});
