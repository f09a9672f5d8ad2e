// The usage counts stay bounded: a day of minutes, a cap on distinct keys and cells; past a
// bound requests still count, as "(other)".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_KEYS, UsageCounter } from '../../src/console/usage.js';

const T0 = Date.UTC(2025, 0, 1);

test('distinct keys past the cap count as (other), and nothing is lost', () => {
  const u = new UsageCounter();
  for (let i = 0; i < MAX_KEYS + 50; i++) u.record('GET', '/2/users/me', `user${i}`, 'demo', T0);
  const q = u.query(T0, 60_000, 'caller', 3) as any;
  assert.equal(q.total, MAX_KEYS + 50);
  assert.equal(q.keys, MAX_KEYS);
  assert.equal(q.by_caller['(other)'], 50);
  assert.deepEqual(q.series.map((s: any) => s.name), ['user0', 'user1', 'user10', '(other)']);
  assert.equal(q.series.at(-1).total, MAX_KEYS + 50 - 3);
});

test('a minute older than a day is forgotten, and its slot serves the new minute', () => {
  const u = new UsageCounter();
  u.record('GET', '/2/users/me', 'alice', 'demo', T0);
  u.record('GET', '/2/users/me', 'alice', 'demo', T0 + 23 * 3600_000);
  assert.equal((u.query(T0 + 23 * 3600_000, 3600_000, 'endpoint', 6) as any).total, 2);
  const later = T0 + 24 * 3600_000;
  assert.equal((u.query(later, 3600_000, 'endpoint', 6) as any).total, 1, 'the first minute is out of the window');
  u.record('POST', '/2/users/:id/following', 'bob', 'demo', later);
  const q = u.query(later, 3600_000, 'endpoint', 6) as any;
  assert.deepEqual(q.by_endpoint, { 'GET /2/users/me': 1, 'POST /2/users/:id/following': 1 });
  assert.equal(q.buckets.length, 2);
});
