// Snowflake minting around a restored database: reading the last id mints nothing, and resuming
// after an id (minted by any worker) only mints above it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Snowflake, snowflakeAt } from '../../src/graph/snowflake.js';

const frozen = (ms: number) => ({ now: () => ms });
const MS = Date.parse('2025-01-01T00:00:00Z');

test('last() names the id minted last and mints nothing', () => {
  const a = new Snowflake(frozen(MS), 7n);
  const b = new Snowflake(frozen(MS), 7n);
  assert.equal(a.last(), null);
  const first = a.next();
  assert.equal(b.next(), first);
  assert.equal(a.last(), first);
  assert.equal(a.last(), first);
  assert.equal(a.next(), b.next(), 'reading last() left the sequence where it was');
});

test('after resumeAfter(id) every id is above it, whatever worker minted it; an older id changes nothing', () => {
  const ids = new Snowflake(frozen(MS), 1n);
  const theirs = snowflakeAt(MS, 1000, 4000); // same ms, a higher worker and sequence
  ids.resumeAfter(theirs);
  const next = ids.next();
  assert.ok(next > theirs, `${next} > ${theirs}`);
  ids.resumeAfter(snowflakeAt(MS - 60_000, 1023, 4095));
  assert.ok(ids.next() > next);
});
