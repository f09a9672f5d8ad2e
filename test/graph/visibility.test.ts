// The one rule of which accounts the API shows, and the reads that follow it, against the real
// store (SQLite, or PostgreSQL with ROOST_TEST_BACKEND=postgres).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createUser } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config.js';
import type { UserRow, UserState } from '../../src/graph/types.js';
import { found, isHidden, visibilityOf } from '../../src/graph/visibility.js';
import type { Services } from '../../src/http/deps.js';
import { closeServices, createServices } from '../../src/services.js';
import { testDb, type TestDb } from '../support/backend.js';

const row = (state: UserState): UserRow => ({
  id: 1n, screenName: 'a', name: 'a', description: '', location: '', url: null, email: null, protected: false,
  verified: false, state, locked: false, followersCount: 0, friendsCount: 0, createdAt: 0, theme: 'plain',
});

test('active reads as visible, suspended as suspended, deactivated exactly as a user who never existed', () => {
  assert.equal(visibilityOf(row('active')), 'visible');
  assert.equal(visibilityOf(row('suspended')), 'suspended');
  assert.equal(visibilityOf(row('deactivated')), 'not-found');
  assert.equal(visibilityOf(undefined), 'not-found');
  assert.deepEqual(found(row('deactivated')), found(undefined));
  assert.deepEqual(found(row('suspended')), { visibility: 'suspended', user: row('suspended') });
});

test('an edge is hidden exactly when the user it names is not visible', () => {
  for (const s of ['active', 'suspended', 'deactivated'] as const) assert.equal(isHidden(s), visibilityOf(row(s)) !== 'visible');
});

let db: TestDb;
let s: Services;
const users: UserRow[] = [];

before(async () => {
  db = await testDb('visibility');
  s = await createServices(loadConfig({ db: db.location, rateLimits: false, follow: { followsPerDay: null, followsPerAppPerDay: null, followingCap: null, followingRatio: 1.1 } }, {}));
  for (let i = 0; i < 8; i++) users.push(await createUser(s.store, s.ids, s.clock, { screenName: `vis${i}`, protected: i === 7 }));
  // everyone follows vis0, oldest first
  for (const u of users.slice(1)) await s.graph.follow({ userId: u.id, appId: null }, users[0]!.id, { notify: false });
});

after(async () => {
  await closeServices(s);
  await db.cleanup();
});

test('lookups answer one Found per term, in order, suspended and deactivated told apart', async () => {
  const [a, b, c] = [users[1]!, users[2]!, users[3]!];
  await s.graph.setState(b.id, 'suspended');
  await s.graph.setState(c.id, 'deactivated');
  try {
    const byId = await s.graph.reads.usersByIds([c.id, a.id, b.id, 999n]);
    assert.deepEqual(byId.map((f) => f.visibility), ['not-found', 'visible', 'suspended', 'not-found']);
    const byName = await s.graph.reads.usersByScreenNames(['VIS2', 'vis1', 'vis3', 'nobody']);
    assert.deepEqual(byName.map((f) => f.visibility), ['suspended', 'visible', 'not-found', 'not-found']);
    assert.equal((await s.graph.reads.userByScreenName('vis3')).visibility, 'not-found');
  } finally {
    await s.graph.setState(b.id, 'active');
    await s.graph.setState(c.id, 'active');
  }
});

test('a list walked two at a time equals one full page, newest first, and leaves out hidden users', async () => {
  const list = { kind: 'follow' as const, dir: 'in' as const, owner: users[0]!.id };
  await s.graph.setState(users[4]!.id, 'suspended');
  try {
    const full = await s.graph.reads.users(list, -1n, 100);
    assert.equal(full.next, 0);
    const expected = users.slice(1).filter((u) => u.id !== users[4]!.id).reverse().map((u) => u.screenName);
    assert.deepEqual(full.users.map((u) => u.screenName), expected);
    const walked: string[] = [];
    let cursor = -1n;
    for (;;) {
      const page = await s.graph.reads.users(list, cursor, 2);
      assert.equal(page.users.length, page.next === 0 ? page.users.length : 2, 'a page is full while more follow');
      walked.push(...page.users.map((u) => u.screenName));
      if (page.next === 0) break;
      cursor = BigInt(page.next);
    }
    assert.deepEqual(walked, expected);
    const ids = await s.graph.reads.idsJson(list, -1n, 100);
    // compared as text: the ids are past 2^53
    assert.equal(ids.json, `[${full.users.map((u) => u.id).join(',')}]`);
    assert.deepEqual((await s.graph.reads.ids(list, -1n, 100)).ids, full.users.map((u) => u.id));
  } finally {
    await s.graph.setState(users[4]!.id, 'active');
  }
});

test('list access follows the subject\'s visibility first, then protection', async () => {
  const prot = users[7]!;
  assert.equal(await s.graph.reads.listAccess(null, prot), 'not-authorized');
  assert.equal(await s.graph.reads.listAccess(prot.id, prot), 'readable');
  assert.equal(await s.graph.reads.listAccess(null, users[0]!), 'readable');
  const suspended = await s.graph.setState(users[5]!.id, 'suspended');
  const gone = await s.graph.setState(users[6]!.id, 'deactivated');
  try {
    assert.equal(await s.graph.reads.listAccess(null, suspended), 'suspended');
    assert.equal(await s.graph.reads.listAccess(gone.id, gone), 'not-found');
  } finally {
    await s.graph.setState(users[5]!.id, 'active');
    await s.graph.setState(users[6]!.id, 'active');
  }
});
