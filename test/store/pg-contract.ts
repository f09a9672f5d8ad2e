// The PostgreSQL-only part of the store contract: exact counts under concurrent graph writes,
// and migrations when several processes open one schema at once.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Graph } from '../../src/graph/graph.js';
import { GraphRuleError } from '../../src/graph/errors.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/types.js';
import { PG_URL, RUN_SCHEMA } from './backends.js';
import { prng } from '../support/prng.js';
import { NO_FOLLOW_LIMITS, NO_QUOTA } from '../support/unlimited.js';


async function withClient<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try { return await work(c); } finally { await c.end(); }
}

export function postgresOnly(fresh: () => Promise<Store>): void {
  it('keeps every count exact under 200 concurrent follows, unfollows and blocks', async (t) => {
    const s = (await fresh()) as PostgresStore;
    const people = Array.from({ length: 8 }, (_, i) => BigInt(i + 1));
    await s.transaction(async (tx) => {
      for (const id of people) await tx.insertUser({ id, screenName: `p${id}`, name: `P ${id}`, createdAt: 1 });
    });
    const graph = new Graph(s, NO_FOLLOW_LIMITS, NO_QUOTA);
    const seed = Number(process.env.ROOST_TEST_SEED ?? Date.now() % 100000);
    const rnd = prng(seed);
    const pick = () => people[Math.floor(rnd() * people.length)]!;
    const ops = Array.from({ length: 200 }, () => {
      const a = pick();
      let b = pick();
      while (b === a) b = pick();
      const actor = { userId: a, appId: null };
      const r = rnd();
      if (r < 0.45) return () => graph.follow(actor, b, { notify: false });
      if (r < 0.8) return () => graph.unfollow(actor, b);
      if (r < 0.9) return () => graph.block(actor, b);
      return () => graph.unblock(actor, b);
    });
    const results = await Promise.allSettled(ops.map((op) => op()));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    // The only refusal allowed is the rule's own: following someone who blocks you.
    const unexpected = failures.filter((e) => !(e instanceof GraphRuleError && e.reason === 'blocked-by-target'));
    assert.deepEqual(unexpected, [], `seed ${seed}`);
    t.diagnostic(`seed ${seed}: ${failures.length} refused by rule, ${s.retries} transaction retries`);

    let edges = 0;
    for (const id of people) {
      const u = (await s.userById(id))!;
      const actual = await s.countEdges(id);
      assert.deepEqual({ followers: u.followersCount, friends: u.friendsCount }, actual, `user ${id}, seed ${seed}`);
      // Forward and backward tables agree: both list every edge.
      const ins = await s.page('follow', 'in', id, { kind: 'before', seq: Number.MAX_SAFE_INTEGER }, 100);
      const outs = await s.page('follow', 'out', id, { kind: 'before', seq: Number.MAX_SAFE_INTEGER }, 100);
      assert.deepEqual([ins.items.length, outs.items.length], [actual.followers, actual.friends]);
      for (const other of outs.items) assert.equal((await s.relations(other.id, [id])).get(id)?.followedBy, true);
      edges += actual.friends;
    }
    const rels = await Promise.all(people.map((a) => s.relations(a, people.filter((b) => b !== a))));
    for (const m of rels) for (const r of m.values()) assert.ok(!(r.blocking && r.followedBy), 'block and follow coexist');
    t.diagnostic(`${edges} follow edges at the end`);
  });

  it('opens one new schema from two stores at once and migrates it once', async () => {
    const schema = `${RUN_SCHEMA}_twice`;
    const [a, b] = await Promise.all([PostgresStore.open(PG_URL!, { schema }), PostgresStore.open(PG_URL!, { schema })]);
    await a.transaction((tx) => tx.insertUser({ id: 1n, screenName: 'kept', name: 'K', createdAt: 1 }));
    await Promise.all([a.close(), b.close()]);
    // Re-running on an up-to-date schema changes nothing and loses nothing (schema given in the URL).
    const url = `${PG_URL!.replace(/^postgres(ql)?:/, 'postgresql:')}${PG_URL!.includes('?') ? '&' : '?'}schema=${schema}`;
    const again = await openStore(url);
    assert.equal(again.backend, 'postgres');
    assert.equal((await again.userByScreenName('KEPT'))!.id, 1n);
    await again.close();
    const rows = await withClient((c) => c.query(`SELECT version, count(*)::int AS n FROM "${schema}".schema_migrations GROUP BY version ORDER BY version`));
    assert.deepEqual(rows.rows, PG_MIGRATIONS.map((m) => ({ version: m.version, n: 1 })));
  });

  it('lets transactions in flight finish when closed', async () => {
    const schema = `${RUN_SCHEMA}_closing`;
    const s = await PostgresStore.open(PG_URL!, { schema });
    const slow = s.transaction(async (tx) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return tx.insertUser({ id: 9n, screenName: 'late', name: 'L', createdAt: 1 });
    });
    await s.close();
    assert.equal((await slow).id, 9n);
    const again = await PostgresStore.open(PG_URL!, { schema });
    assert.equal((await again.userById(9n))!.screenName, 'late');
    await again.close();
  });

  it('keeps each schema to itself', async () => {
    const [x, y] = [await fresh(), await fresh()];
    await x.transaction((tx) => tx.insertUser({ id: 1n, screenName: 'here', name: 'H', createdAt: 1 }));
    assert.equal(await y.userById(1n), undefined);
    assert.equal(await y.countUsers(), 0);
    assert.equal((await x.userByScreenName('HERE'))!.id, 1n);
  });
}
