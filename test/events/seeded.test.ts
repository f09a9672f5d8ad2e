// Events are stamped by the services' clock and snowflake minting, as users are: an emulator
// started twice with the same seed raises the same event ids at the same times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUser } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config.js';
import { ControlledClock } from '../../src/emulator/controlled-clock.js';
import { closeServices, createServices } from '../../src/services.js';
import { testDb } from '../support/backend.js';

async function run(seed: number): Promise<string[]> {
  const db = await testDb('seeded');
  const clock = new ControlledClock('frozen');
  const s = await createServices(loadConfig({ db: db.location, redisUrl: null, nonceJournal: false }, {}), clock, { snowflakeWorker: BigInt(seed % 1024) });
  try {
    const a = await createUser(s.store, s.ids, clock, { screenName: 'ann' });
    const b = await createUser(s.store, s.ids, clock, { screenName: 'ben' });
    await s.graph.follow({ userId: a.id, appId: null }, b.id, { notify: false });
    clock.advance(1500);
    await s.graph.mute({ userId: b.id, appId: null }, a.id);
    await s.graph.updateProfile(a.id, { name: 'Ann B' });
    return (await s.events.log.eventsAfter(0n, 10)).map((e) => `${e.id} ${e.createdAt} ${e.type}`);
  } finally {
    await closeServices(s);
    await db.cleanup();
  }
}

test('the same seed raises the same event ids and times; another seed other ids', async () => {
  const first = await run(7);
  assert.equal(first.length, 3);
  assert.deepEqual(await run(7), first);
  assert.notDeepEqual(await run(8), first);
  assert.match(first[1]!, / 1735689601500 mute\.mute$/, 'time from the emulator\'s clock');
});
