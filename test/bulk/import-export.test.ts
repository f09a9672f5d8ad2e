// bin/roost import / export: round trips through every format, bad lines, and failed imports
// that leave the database as it was.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { TEST_BACKEND, testDb, type TestDb } from '../support/backend.js';
import { degrees, readGraph, roost, roostFails, serve, walkIds, type StoredGraph } from './support.js';

let source: TestDb;
let copy: TestDb;
let dir: string;
let graph: StoredGraph;
const file = (name: string) => join(dir, name);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roost-bulk-'));
  source = await testDb('bulk-src');
  copy = await testDb('bulk-copy');
  await roost(source.location, 'generate', '--users', '600', '--follows', '6000', '--seed', '3', '--celebrities', '1', '--quiet');
  graph = await readGraph(source.location);
});
after(async () => {
  await source.cleanup();
  await copy.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

test('export then import (users CSV, gzipped SNAP) rebuilds the same graph, follow order and counts included', async () => {
  await Promise.all([
    roost(source.location, 'export', 'snap', file('follows.txt.gz')),
    roost(source.location, 'export', 'users', file('users.csv')),
  ]);
  const snap = gunzipSync(readFileSync(file('follows.txt.gz'))).toString().split('\n');
  assert.match(snap[0]!, /^# /);
  assert.equal(snap.filter((l) => /^\d+\t\d+$/.test(l)).length, graph.follows.length);
  const users = JSON.parse((await roost(copy.location, 'import', 'users', file('users.csv'), '--json')).stdout);
  assert.equal(users.users_added, graph.users.length);
  const follows = JSON.parse((await roost(copy.location, 'import', 'snap', file('follows.txt.gz'), '--json')).stdout);
  assert.equal(follows.follows_added, graph.follows.length);
  assert.equal(follows.users_added, 0);
  const rebuilt = await readGraph(copy.location);
  assert.deepEqual(rebuilt.users, graph.users);
  // SNAP carries no notification or retweet settings: those come back as the defaults.
  const pairs = (g: StoredGraph) => g.follows.map((f) => `${f.src}>${f.dst}`);
  assert.deepEqual(pairs(rebuilt), pairs(graph));
});

test('a Mastodon following list round-trips: accounts created by screen name, boosts and notifications kept, served newest first', async () => {
  const { friends } = degrees(graph);
  const [busiest] = [...friends].sort((a, b) => b[1] - a[1])[0]!;
  const owner = graph.users.find((u) => u.id === busiest)!;
  await roost(source.location, 'export', 'mastodon', file('following.csv'), '--user', owner.screenName, '--host', 'roost.example');
  const rows = readFileSync(file('following.csv'), 'utf8').trim().split('\n');
  assert.equal(rows[0], 'Account address,Show boosts,Notify on new posts,Languages');
  const listed = graph.follows.filter((f) => f.src === busiest);
  assert.equal(rows.length - 1, listed.length);

  const fresh = await testDb('bulk-masto');
  try {
    await roost(fresh.location, 'users', 'create', 'zed');
    const result = JSON.parse((await roost(fresh.location, 'import', 'mastodon', file('following.csv'), '--user', 'zed', '--json')).stdout);
    assert.equal(result.users_added, listed.length);
    assert.equal(result.follows_added, listed.length);
    const imported = await readGraph(fresh.location);
    const zed = imported.users.find((u) => u.screenName === 'zed')!;
    assert.equal(zed.friendsCount, listed.length);
    const names = new Map(graph.users.map((u) => [u.id, u.screenName]));
    const byId = new Map(imported.users.map((u) => [u.id, u.screenName]));
    const served = await serve(fresh.location);
    try {
      const client = await served.as(zed);
      const ids = await walkIds(client, 'friends/ids.json', zed.id, 100);
      assert.deepEqual(ids.map((id) => byId.get(BigInt(id))), listed.map((f) => names.get(f.dst)).reverse());
      const noRetweets = await client.v1.get('friendships/no_retweets/ids.json', { stringify_ids: true }) as string[];
      assert.deepEqual(new Set(noRetweets.map((id) => byId.get(BigInt(id)))), new Set(listed.filter((f) => !f.retweets).map((f) => names.get(f.dst))));
      if (TEST_BACKEND === 'sqlite') {
        // A SQLite load needs the file to itself; PostgreSQL loads beside running servers.
        const busy = await roostFails(fresh.location, 'import', 'mastodon', file('following.csv'), '--user', 'zed');
        assert.match(busy.stderr, /is in use \(stop the server before a bulk load\)/);
      }
    } finally {
      await served.close();
    }
  } finally {
    await fresh.cleanup();
  }
});

test('bad lines: fatal by default with the line number and nothing written; skipped and reported with --on-error skip', async () => {
  const [a, b, c] = graph.users.map((u) => u.id);
  writeFileSync(file('bad.txt'), `# comment\n${c} ${a}\nnot-an-id ${b}\n\n${b}\t${b}\n${b} ${c}\n${c} ${a}\n`);
  const before = await readGraph(copy.location);
  const failed = await roostFails(copy.location, 'import', 'snap', file('bad.txt'));
  assert.equal(failed.code, 1);
  assert.equal(failed.stderr, `roost: ${file('bad.txt')}:3: "not-an-id" is not a user id (1 to 2^63 - 1) (nothing imported)\n`);
  assert.deepEqual(await readGraph(copy.location), before);

  const skipped = await roost(copy.location, 'import', 'snap', file('bad.txt'), '--on-error', 'skip', '--json');
  assert.deepEqual(skipped.stderr.trim().split('\n').map((l) => /bad\.txt:(\d+):/.exec(l)?.[1]), ['3', '5']);
  const result = JSON.parse(skipped.stdout);
  assert.equal(result.bad_lines, 2);
  assert.equal(result.repeats, 1);
  const stored = new Set(before.follows.map((f) => `${f.src}>${f.dst}`));
  const wanted = [`${c}>${a}`, `${b}>${c}`];
  assert.equal(result.follows_added, wanted.filter((p) => !stored.has(p)).length);
  assert.equal(result.existing, wanted.length - result.follows_added);

  writeFileSync(file('noname.csv'), 'id,name\n5,Five\n');
  const header = await roostFails(copy.location, 'import', 'users', file('noname.csv'), '--on-error', 'skip');
  assert.match(header.stderr, /noname\.csv:1: header lacks "screen_name"/);
  const check = JSON.parse((await roost(copy.location, 'recount', '--check', '--json')).stdout);
  assert.deepEqual(check.drift, []);
});

test('a load killed half-way leaves the database as it was', { skip: TEST_BACKEND !== 'sqlite' && 'the rollback journal is SQLite\'s' }, async () => {
  const before = await readGraph(copy.location);
  const child = spawn(process.execPath, [new URL('../../bin/roost', import.meta.url).pathname, 'generate', '--users', '20000', '--follows', '100000',
    '--quiet', '--db', copy.location], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  // The journal exists from the load's first write until its commit.
  while (!existsSync(`${copy.location}-journal`)) await sleep(20);
  child.kill('SIGKILL');
  await exited;
  assert.deepEqual(await readGraph(copy.location), before);
});

test('an import naming suspended and deactivated accounts keeps them out of lists and counts until they return', async () => {
  const db = await testDb('bulk-hidden');
  try {
    for (const name of ['zed', 'sam', 'dee']) await roost(db.location, 'users', 'create', name);
    await roost(db.location, 'users', 'suspend', 'sam');
    await roost(db.location, 'users', 'deactivate', 'dee');
    writeFileSync(file('hidden.csv'), 'Account address,Show boosts,Notify on new posts,Languages\nsam@roost.example,true,false,\ndee,true,false,\nnewbie,true,false,\n');
    await roost(db.location, 'import', 'mastodon', file('hidden.csv'), '--user', 'zed');
    const id = async (name: string) => (await readGraph(db.location)).users.find((u) => u.screenName === name)!.id;
    const [zed, sam, dee, newbie] = [await id('zed'), await id('sam'), await id('dee'), await id('newbie')];
    writeFileSync(file('hidden.txt'), `${sam}\t${zed}\n${dee}\t${zed}\n${newbie}\t${zed}\n`);
    await roost(db.location, 'import', 'snap', file('hidden.txt'));

    const lists = async (): Promise<{ friends: string[]; followers: string[]; counts: number[] }> => {
      const stored = (await readGraph(db.location)).users.find((u) => u.id === zed)!;
      const served = await serve(db.location);
      try {
        const client = await served.as(stored);
        return {
          friends: await walkIds(client, 'friends/ids.json', zed, 2),
          followers: await walkIds(client, 'followers/ids.json', zed, 2),
          counts: [stored.friendsCount, stored.followersCount],
        };
      } finally {
        await served.close();
      }
    };
    assert.deepEqual(await lists(), { friends: [String(newbie)], followers: [String(newbie)], counts: [1, 1] });
    await roost(db.location, 'users', 'unsuspend', 'sam');
    await roost(db.location, 'users', 'reactivate', 'dee');
    const back = [newbie, dee, sam].map(String); // newest first, in file order
    assert.deepEqual(await lists(), { friends: back, followers: back, counts: [3, 3] });
    assert.deepEqual(JSON.parse((await roost(db.location, 'recount', '--check', '--json')).stdout).drift, []);
  } finally {
    await db.cleanup();
  }
});
