// PostgreSQL graph writes under contention: 64 concurrent callers following and unfollowing over
// many users, then all on one account, then with that account's state, protection and blocks
// changing underneath. Counts must equal edges afterwards, and writes must wait for each other
// rather than fail and replay (fewer than 1 % replays). Runs when ROOST_TEST_PG is set.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Graph } from '../../src/graph/graph.js';
import { GraphRuleError } from '../../src/graph/errors.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { groupedDrift } from '../support/recount.js';
import { prng } from '../support/prng.js';
import { NO_FOLLOW_LIMITS, NO_QUOTA } from '../support/unlimited.js';
import { PG_URL, RUN_SCHEMA, dropRunSchemas } from './backends.js';

const USERS = 300;
const CALLERS = 64;
const OPS = 3000;
const id = (i: number) => 1_000_000n + BigInt(i);

describe('PostgreSQL writes under contention', { skip: PG_URL ? false : 'ROOST_TEST_PG is not set' }, () => {
  const location = `${PG_URL}${PG_URL?.includes('?') ? '&' : '?'}schema=${RUN_SCHEMA}_contention`;
  let store: PostgresStore;
  let graph: Graph;

  before(async () => {
    store = await PostgresStore.open(location);
    await store.transaction(async (tx) => {
      for (let i = 0; i < USERS; i++) await tx.insertUser({ id: id(i), screenName: `c${i}`, name: `C ${i}`, createdAt: 1 });
    });
    graph = new Graph(store, NO_FOLLOW_LIMITS, NO_QUOTA);
  });
  after(async () => {
    await store.close();
    await dropRunSchemas(PG_URL!);
  });

  /** CALLERS callers share OPS calls; each follows the pair it draws, or unfollows when it already follows. */
  async function storm(seed: number, pick: (rand: () => number) => [number, number], refusals = false) {
    const rand = prng(seed);
    const retries = store.retries;
    let left = OPS;
    await Promise.all(Array.from({ length: CALLERS }, async () => {
      while (left-- > 0) {
        const [a, b] = pick(rand);
        const actor = { userId: id(a), appId: null };
        try {
          const r = await graph.follow(actor, id(b), { notify: false });
          if (r.outcome === 'unchanged') await graph.unfollow(actor, id(b));
        } catch (err) {
          // Suspended, blocked, already requested: the rules answering, when the test expects them.
          if (!refusals || !(err instanceof GraphRuleError)) throw err;
        }
      }
    }));
    return store.retries - retries;
  }

  const spread = (rand: () => number): [number, number] => {
    const a = Math.floor(rand() * USERS);
    return [a, (a + 1 + Math.floor(rand() * (USERS - 1))) % USERS];
  };
  const onOne = (rand: () => number): [number, number] => [1 + Math.floor(rand() * (USERS - 1)), 0];

  test('64 callers over many users: counts equal edges, fewer than 1 % replays', async () => {
    const replays = await storm(1, spread);
    assert.deepEqual(await groupedDrift(location), []);
    assert.ok(replays < OPS / 100, `${replays} replays in ${OPS} calls`);
  });

  test('64 callers all following one account: counts equal edges, fewer than 1 % replays', async () => {
    const replays = await storm(2, onOne);
    assert.deepEqual(await groupedDrift(location), []);
    const star = (await store.userById(id(0)))!;
    assert.equal(star.followersCount, (await store.countEdges(id(0))).followers);
    assert.ok(replays < OPS / 100, `${replays} replays in ${OPS} calls`);
  });

  test('the account suspended, restored, protected and blocking while the follows go on: counts equal edges', async () => {
    const rand = prng(3);
    let stop = false;
    const changes = (async () => {
      for (let round = 0; !stop; round++) {
        await graph.setState(id(0), round % 2 === 0 ? 'suspended' : 'active');
        await graph.setProtected(id(0), round % 3 === 0);
        await graph.block({ userId: id(0), appId: null }, id(1 + Math.floor(rand() * (USERS - 1))));
        await graph.setState(id(1 + Math.floor(rand() * (USERS - 1))), round % 2 === 0 ? 'deactivated' : 'active');
      }
    })();
    try {
      await storm(4, onOne, true);
    } finally {
      stop = true;
    }
    await changes;
    await graph.setState(id(0), 'active');
    assert.deepEqual(await groupedDrift(location), []);
  });
});
