// --seed and a frozen clock: the same fixture and the same requests give the same bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmulator, type EmulatorHarness } from '../support/emulator.js';

const FIXTURE = `
apps:
  demo: {}
users:
  alice: { name: Alice }
  bob: { name: Bob }
  carol: { name: Carol, protected: true }
follows:
  - alice -> bob
  - bob follows alice
`;

/** A script of reads and writes, v1.1 and v2, user and app-only; the raw replies, in order. */
async function script(h: EmulatorHarness): Promise<Buffer[]> {
  const bob = h.server.emulator!.loaded.users.get('bob')!;
  const out: Buffer[] = [];
  out.push(await h.rawBytes('GET', '/1.1/users/show.json', 'alice', { screen_name: 'bob' }));
  out.push(await h.rawBytes('POST', '/1.1/friendships/create.json', 'alice', { screen_name: 'carol' }));
  out.push(await h.rawBytes('POST', '/1.1/friendships/create.json', 'carol', { screen_name: 'alice' }));
  out.push(await h.rawBytes('GET', '/1.1/followers/list.json', 'app:demo', { screen_name: 'alice' }));
  out.push(await h.rawBytes('GET', `/2/users/${bob.id}/following`, 'bob'));
  out.push(await h.rawBytes('GET', '/1.1/friendships/show.json', 'alice', { source_screen_name: 'alice', target_screen_name: 'nobody' }));
  return out;
}

test('two fresh emulators with one seed answer the same script with the same bytes, Date header included', async () => {
  const runs: Buffer[][] = [];
  for (let i = 0; i < 2; i++) {
    const h = await startEmulator(FIXTURE, { seed: 42 });
    try {
      runs.push(await script(h));
    } finally {
      await h.close();
    }
  }
  const [a, b] = runs as [Buffer[], Buffer[]];
  assert.equal(a.length, 6);
  for (let i = 0; i < a.length; i++) assert.ok(a[i]!.equals(b[i]!), `reply ${i} differs:\n${a[i]}\n---\n${b[i]}`);
  // The replies are real ones: statuses, ids, and a Date on the emulator's frozen clock.
  assert.match(a[0]!.toString(), /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(a[0]!.toString(), /\r\ndate: Wed, 01 Jan 2025 00:00:00 GMT\r\n/i);
  assert.match(a[0]!.toString(), /"created_at":"Wed Jan 01 00:00:00 \+0000 2025"/);
  assert.match(a[5]!.toString(), /^HTTP\/1\.1 404 /);
});

test('another seed gives other ids and tokens; a reset gives the fresh start back byte for byte', async () => {
  const h = await startEmulator(FIXTURE, { seed: 42 });
  const other = await startEmulator(FIXTURE, { seed: 43 });
  try {
    const tokenA = h.server.emulator!.loaded.tokens.get('alice')!.row;
    const tokenB = other.server.emulator!.loaded.tokens.get('alice')!.row;
    assert.notEqual(tokenA.token, tokenB.token);
    assert.notEqual(tokenA.secret, tokenB.secret);
    assert.notEqual(h.server.emulator!.loaded.users.get('alice')!.id, other.server.emulator!.loaded.users.get('alice')!.id);

    const first = await script(h);
    const reset = await h.admin('POST', 'reset');
    assert.equal(reset.status, 200);
    assert.equal(reset.json.tokens.alice.oauth_token, tokenA.token, 'the same credentials after a reset');
    const again = await script(h);
    for (let i = 0; i < first.length; i++) assert.ok(first[i]!.equals(again[i]!), `reply ${i} differs after reset`);
  } finally {
    await h.close();
    await other.close();
  }
});
