// bin/roost generate: a deterministic power-law graph that obeys the rules, served as stored.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { snowflakeTime } from '../../src/graph/snowflake.js';
import { openStore } from '../../src/store/open-store.js';
import { testDb, type TestDb } from '../support/backend.js';
import { degrees, readGraph, roost, serve, walkIds, type StoredGraph } from './support.js';

const USERS = 2000;
const FOLLOWS = 24000;
const ARGS = ['generate', '--users', String(USERS), '--follows', String(FOLLOWS), '--seed', '42', '--celebrities', '2', '--json'];

let one: TestDb;
let two: TestDb;
let summary: { users: number; follows: number; total_follows: number; bytes_per_edge: number; edges_per_second: number; celebrities: string[] };
let graph: StoredGraph;

before(async () => {
  one = await testDb('bulk-gen-1');
  two = await testDb('bulk-gen-2');
  const [a] = await Promise.all([roost(one.location, ...ARGS), roost(two.location, ...ARGS)]);
  summary = JSON.parse(a.stdout);
  graph = await readGraph(one.location);
});
after(async () => {
  await one.cleanup();
  await two.cleanup();
});

test('generate stores exactly the users and follows asked for, and reports its figures', () => {
  assert.equal(summary.users, USERS);
  assert.equal(summary.follows, FOLLOWS);
  assert.equal(summary.total_follows, FOLLOWS);
  assert.ok(summary.edges_per_second > 0 && summary.bytes_per_edge > 0);
  assert.equal(graph.users.length, USERS);
  assert.equal(graph.follows.length, FOLLOWS);
});

test('the same seed makes the same graph, ids and profiles included', async () => {
  const again = await readGraph(two.location);
  assert.deepEqual(again, graph);
});

test('the graph obeys the rules: no self-follows, no repeated pair, every end a stored user', () => {
  const ids = new Set(graph.users.map((u) => u.id));
  const pairs = new Set<string>();
  for (const f of graph.follows) {
    assert.notEqual(f.src, f.dst);
    assert.ok(ids.has(f.src) && ids.has(f.dst));
    const key = `${f.src}>${f.dst}`;
    assert.ok(!pairs.has(key), `repeated follow ${key}`);
    pairs.add(key);
  }
});

test('degrees are heavy-tailed: celebrities reach most users, a few follow far more than most', () => {
  const { followers, friends } = degrees(graph);
  for (const c of summary.celebrities) assert.ok((followers.get(BigInt(c)) ?? 0) > USERS / 2, `celebrity ${c} has ${followers.get(BigInt(c))} followers`);
  const celebs = new Set(summary.celebrities.map(BigInt));
  const inDegrees = graph.users.filter((u) => !celebs.has(u.id)).map((u) => followers.get(u.id) ?? 0).sort((a, b) => b - a);
  const outDegrees = graph.users.map((u) => friends.get(u.id) ?? 0).sort((a, b) => b - a);
  const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
  assert.ok(inDegrees[0]! > 10 * Math.max(1, median(inDegrees)), `top ${inDegrees[0]} vs median ${median(inDegrees)} followers`);
  assert.ok(outDegrees[0]! > 5 * (FOLLOWS / USERS), `top ${outDegrees[0]} vs mean ${FOLLOWS / USERS} friends`);
});

test('profiles are valid and varied: unique screen names, snowflake ids minted when the account was created', () => {
  const keys = new Set(graph.users.map((u) => u.screenName.toLowerCase()));
  assert.equal(keys.size, USERS);
  for (const u of graph.users) {
    assert.match(u.screenName, /^[A-Za-z0-9_]{1,15}$/);
    assert.ok(u.name.length > 0 && [...u.name].length <= 50);
    assert.equal(snowflakeTime(u.id), u.createdAt);
    if (u.url !== null) assert.match(u.url, /^https:\/\/\S+$/);
  }
  const share = (p: (u: (typeof graph.users)[number]) => boolean) => graph.users.filter(p).length / USERS;
  assert.ok(share((u) => u.protected) > 0.01 && share((u) => u.protected) < 0.15);
  assert.ok(share((u) => u.verified) > 0);
  assert.ok(share((u) => u.description !== '') > 0.5 && share((u) => u.location !== '') > 0.4);
  assert.ok(new Set(graph.users.map((u) => u.name)).size > USERS / 4, 'names vary');
});

test('a server serves the generated graph: counts and every follower page as stored', async () => {
  const { followers, friends } = degrees(graph);
  const served = await serve(one.location);
  try {
    const celeb = BigInt(summary.celebrities[0]!);
    const shown = await served.app.v1.get('users/show.json', { user_id: celeb.toString() }) as { followers_count: number; friends_count: number };
    assert.equal(shown.followers_count, followers.get(celeb));
    assert.equal(shown.friends_count, friends.get(celeb) ?? 0);
    // Pages of 500 walked to the end: newest first, each follower once.
    const ids = await walkIds(served.app, 'followers/ids.json', celeb, 500);
    const expected = graph.follows.filter((f) => f.dst === celeb).map((f) => f.src.toString()).reverse();
    assert.deepEqual(ids, expected);
    const busiest = [...friends].sort((a, b) => b[1] - a[1])[0]!;
    const viewer = graph.users.find((u) => u.id === busiest[0])!;
    const asUser = await served.as(viewer);
    const friendIds = await walkIds(asUser, 'friends/ids.json', viewer.id, 200);
    assert.equal(friendIds.length, busiest[1]);
    assert.deepEqual(friendIds, graph.follows.filter((f) => f.src === viewer.id).map((f) => f.dst.toString()).reverse());
  } finally {
    await served.close();
  }
  const check = JSON.parse((await roost(one.location, 'recount', '--check', '--json')).stdout);
  assert.deepEqual(check.drift, []);
  assert.equal(check.users_checked, USERS);
});

test('recount finds counts that drifted, names each user with stored and actual counts, and repairs them', async () => {
  const { followers, friends } = degrees(graph);
  const [a, b] = graph.users;
  // A suspension moves its neighbours' counts (counts hold active users only): no drift.
  const busiest = [...followers].sort((x, y) => y[1] - x[1])[3]![0];
  const suspended = graph.users.find((u) => u.id === busiest)!;
  await roost(two.location, 'users', 'suspend', suspended.screenName);
  assert.deepEqual(JSON.parse((await roost(two.location, 'recount', '--check', '--json')).stdout).drift, []);

  const store = await openStore(two.location);
  try {
    await store.transaction(async (tx) => {
      await tx.setCounts(a!.id, 999, 0);
      await tx.setCounts(b!.id, followers.get(b!.id) ?? 0, 12345);
    });
  } finally {
    await store.close();
  }
  const expected = (u: typeof a) => {
    const outToSuspended = graph.follows.some((f) => f.src === u!.id && f.dst === busiest) ? 1 : 0;
    const inFromSuspended = graph.follows.some((f) => f.src === busiest && f.dst === u!.id) ? 1 : 0;
    return { followers: (followers.get(u!.id) ?? 0) - inFromSuspended, friends: (friends.get(u!.id) ?? 0) - outToSuspended };
  };
  const { stdout } = await roost(two.location, 'recount');
  assert.equal(stdout, [
    `user ${a!.id}: followers 999 -> ${expected(a).followers}, friends 0 -> ${expected(a).friends}`,
    `user ${b!.id}: followers ${followers.get(b!.id) ?? 0} -> ${expected(b).followers}, friends 12345 -> ${expected(b).friends}`,
    '2 users drifted, repaired', '',
  ].join('\n'));
  assert.equal(JSON.parse((await roost(two.location, 'recount', '--check', '--json')).stdout).drift.length, 0);
});
