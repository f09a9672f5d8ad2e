// `roost users update` edits a profile from another process while a server runs on the same
// database: one event per changed field, the server's feed woken, its cached user not stale.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startHarness, type Harness } from '../support/harness.js';
import { showUser } from '../support/calls.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/roost', import.meta.url).pathname;
let h: Harness;

const roost = (...args: string[]) => run(process.execPath, [BIN, ...args, '--db', h.dbLocation]);

before(async () => { h = await startHarness(); });
after(() => h.close());

test('users update changes the given fields, prints the user, and the running server sees it and is woken', async () => {
  const a = await h.user('cli_upd_a', { name: 'Before', location: 'Oslo' });
  const b = await h.user('cli_upd_b');
  assert.equal((await showUser(b.client, 'cli_upd_a')).name, 'Before'); // now cached by the server
  const log = h.server.services.events.log;
  const from = await log.headSeq();
  const woken = new Promise<void>((resolve) => {
    const off = h.server.services.events.feed.onCommitted(() => { off(); resolve(); });
  });
  const out = await roost('users', 'update', 'cli_upd_a', '--name', 'After', '--location', 'Oslo', '--description', 'from the CLI', '--json');
  const user = JSON.parse(out.stdout);
  assert.deepEqual([user.name, user.location, user.description], ['After', 'Oslo', 'from the CLI']);
  await woken;
  const events = await log.eventsAfter(from, 100);
  assert.deepEqual(events.map((e) => [e.type, e.sourceId, e.before, e.after]), [
    ['profile.update.screenname', a.user.id, 'Before', 'After'],
    ['profile.update.bio', a.user.id, '', 'from the CLI'],
  ]);
  assert.equal((await showUser(b.client, 'cli_upd_a')).name, 'After');
});

test('users update refuses a value over Twitter\'s limit in one line, non-zero, changing nothing', async () => {
  await h.user('cli_upd_c', { name: 'Kept' });
  const from = await h.server.services.events.log.headSeq();
  await assert.rejects(roost('users', 'update', 'cli_upd_c', '--name', 'Fine', '--location', 'x'.repeat(31)), (err: { code: number; stderr: string }) => {
    assert.notEqual(err.code, 0);
    assert.match(err.stderr, /Location is too long \(maximum is 30 characters\)/);
    assert.equal(err.stderr.trim().split('\n').length, 1);
    return true;
  });
  assert.equal((await h.server.services.store.userByScreenName('cli_upd_c'))?.name, 'Kept');
  assert.deepEqual(await h.server.services.events.log.eventsAfter(from, 10), []);
  await assert.rejects(roost('users', 'update', 'nobody_here', '--name', 'x'), /no user @nobody_here/);
});
