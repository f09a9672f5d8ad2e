// The deliverer's lanes on their own: each lane in order, at most `width` at once, and after a
// failure (or a stop) nothing new starts and the lowest undelivered seq is named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sendInLanes } from '../../src/webhooks/lanes.js';

const item = (seq: number, lane: string) => ({ seq: BigInt(seq), lane });
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Three lanes interleaved in event order: a gets 1, 4, 7; b 2, 5, 8; c 3, 6, 9.
const ITEMS = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => item(n, 'abc'[(n - 1) % 3]!));

test('every item goes, each lane in order, never more lanes at once than the width', async () => {
  const sent: bigint[] = [];
  let flying = 0;
  let most = 0;
  const run = await sendInLanes(ITEMS, 2, async () => true, async (it) => {
    most = Math.max(most, ++flying);
    await tick(Number(it.seq % 3n) + 1);
    flying--;
    sent.push(it.seq);
    return true;
  });
  assert.deepEqual(run, { outcome: 'delivered', undone: null, error: null });
  assert.equal(most, 2);
  assert.deepEqual([...sent].sort((x, y) => Number(x - y)), ITEMS.map((i) => i.seq));
  for (const lane of ['a', 'b', 'c']) {
    const mine = ITEMS.filter((i) => i.lane === lane).map((i) => i.seq);
    assert.deepEqual(sent.filter((s) => mine.includes(s)), mine, `lane ${lane} in order`);
  }
});

test('a failure stops every lane; undone is the lowest seq not delivered, the failed one or one never sent', async () => {
  // Each send waits until the test answers it, so the interleaving is the test's, not the timers'.
  const open = new Map<bigint, (ok: boolean) => void>();
  const answer = async (seq: number, ok: boolean) => {
    while (!open.has(BigInt(seq))) await tick(0);
    open.get(BigInt(seq))!(ok);
    open.delete(BigInt(seq));
  };
  const started: bigint[] = [];
  const running = sendInLanes(ITEMS, 3, async () => true, (it) => {
    started.push(it.seq);
    return new Promise<boolean>((resolve) => open.set(it.seq, resolve));
  });
  await answer(2, true); // lane b moves on to 5
  await answer(5, false); // and fails there, while a and c are still on 1 and 3
  await answer(1, true);
  await answer(3, true);
  const run = await running;
  assert.equal(run.outcome, 'failed');
  assert.deepEqual(started, [1n, 2n, 3n, 5n], 'nothing starts after the failure');
  assert.equal(run.undone, 4n, 'a\'s next item, below the failed 5');
});

test('a thrown error counts as a failure and is kept; a stop before an item is busy', async () => {
  const thrown = await sendInLanes([item(1, 'a'), item(2, 'a')], 4, async () => true, async () => { throw new Error('socket'); });
  assert.equal(thrown.outcome, 'failed');
  assert.equal(thrown.undone, 1n);
  assert.equal(thrown.error?.message, 'socket');
  let allowed = 1;
  const busy = await sendInLanes([item(1, 'a'), item(2, 'a')], 4, async () => allowed-- > 0, async () => true);
  assert.deepEqual(busy, { outcome: 'busy', undone: 2n, error: null });
});
