// Many writes at once (§13.2 under load): 200 concurrent follow, unfollow, block and unblock calls
// among six users. Afterwards every stored count must match its edge list, and no call may fail
// with a server error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiResponseError } from 'twitter-api-v2';
import { groupedDrift } from '../../support/recount.js';
import { startHarness, type Harness, type TestUser } from '../../support/harness.js';
import { ids, post, showUser } from '../../support/calls.js';
import { prng } from '../../support/prng.js';

let h: Harness;
before(async () => { h = await startHarness(); });
after(() => h.close());

const OPS = [
  ['friendships/create', 6], ['friendships/destroy', 3], ['blocks/create', 1], ['blocks/destroy', 1], ['friendships/accept', 1],
] as const;
const PROTECTED = 5;

function pickOp(r: number): string {
  const total = OPS.reduce((n, [, w]) => n + w, 0);
  let x = r * total;
  for (const [op, w] of OPS) if ((x -= w) < 0) return op;
  return OPS[0][0];
}

test('200 concurrent follows, unfollows and blocks among 6 users leave every count equal to its list', async () => {
  const users: TestUser[] = [];
  for (let i = 0; i < 6; i++) users.push(await h.user(`c${i}`, { protected: i === PROTECTED }));
  const rand = prng(20240611);
  const calls: { op: string; from: number; to: number }[] = [];
  for (let i = 0; i < 200; i++) {
    const op = pickOp(rand());
    // Only the protected user has requests to accept.
    const from = op === 'friendships/accept' ? PROTECTED : Math.floor(rand() * 6);
    const to = (from + 1 + Math.floor(rand() * 5)) % 6;
    calls.push({ op, from, to });
  }
  const statuses = await Promise.all(calls.map(async ({ op, from, to }) => {
    try {
      await post(users[from]!.client, op, { user_id: users[to]!.user.id.toString() });
      return 200;
    } catch (err) {
      if (err instanceof ApiResponseError) return err.code;
      throw err;
    }
  }));

  const serverErrors = statuses.filter((s) => s >= 500);
  assert.deepEqual(serverErrors, [], 'no call failed with a 5xx');
  const counted = new Map<number, number>();
  for (const s of statuses) counted.set(s, (counted.get(s) ?? 0) + 1);
  assert.ok((counted.get(200) ?? 0) > 100, `most calls succeed: ${JSON.stringify([...counted])}`);
  // 403: blocked (162) or already requested (160); 404: nothing to accept.
  for (const s of counted.keys()) assert.ok([200, 403, 404].includes(s), `unexpected status ${s}`);

  const idStr = users.map((u) => u.user.id.toString());
  const followers = new Map<string, string[]>();
  const friends = new Map<string, string[]>();
  const blocks = new Map<string, string[]>();
  for (const u of users) {
    const me = u.user.id.toString();
    followers.set(me, await ids(u.client, 'followers/ids'));
    friends.set(me, await ids(u.client, 'friends/ids'));
    blocks.set(me, await ids(u.client, 'blocks/ids'));
    const shown = await showUser(users[0]!.client, u.user.screenName);
    assert.equal(shown.followers_count, followers.get(me)!.length, `${u.user.screenName} followers_count`);
    assert.equal(shown.friends_count, friends.get(me)!.length, `${u.user.screenName} friends_count`);
    for (const list of [followers.get(me)!, friends.get(me)!]) {
      assert.equal(new Set(list).size, list.length, 'no id twice');
      assert.ok(list.every((id) => idStr.includes(id) && id !== me));
    }
  }
  for (const a of idStr) {
    for (const b of friends.get(a)!) {
      assert.ok(followers.get(b)!.includes(a), 'every follow shows on both ends');
      assert.ok(!blocks.get(a)!.includes(b) && !blocks.get(b)!.includes(a), 'no follow survives a block either way');
    }
    for (const b of followers.get(a)!) assert.ok(friends.get(b)!.includes(a));
  }
  // The protected user's followers all came through accepted requests; no one is pending and following at once.
  const p = users[PROTECTED]!;
  const incoming = await ids(p.client, 'friendships/incoming');
  assert.ok(incoming.every((id) => !followers.get(p.user.id.toString())!.includes(id) && idStr.includes(id)));
  assert.deepEqual(await groupedDrift(h.dbLocation), [], 'stored counts match the edges');
});
