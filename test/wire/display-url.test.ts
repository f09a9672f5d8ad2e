// display_url against every link Twitter shortened in the recorded replies (test/fixtures/links.json,
// made by scripts/gen-fixtures.ts): the rule has no published source, so the recordings are its
// whole evidence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayUrl } from '../../src/wire/entities.js';
import { fixture } from '../support/recorded.js';

test('display_url is cut exactly as in every recorded link', () => {
  const pairs = fixture('links.json') as [string, string][];
  assert.ok(pairs.length >= 40, `only ${pairs.length} recorded links`);
  const wrong = pairs.filter(([expanded, shown]) => displayUrl(expanded) !== shown).map(([e, s]) => `${e}: ${displayUrl(e)} ≠ ${s}`);
  assert.deepEqual(wrong, []);
});
