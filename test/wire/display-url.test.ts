// display_url against every link Twitter shortened in the recorded replies: the rule has no
// published source, so the recordings are its whole evidence (media links, `pic.twitter.com/…`,
// are another kind of entity and are left out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { displayUrl } from '../../src/wire/entities.js';
import { loadRecording, SPEC_DIR } from '../support/recorded.js';

function recordedPairs(): Map<string, string> {
  const pairs = new Map<string, string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.display_url === 'string' && typeof o.expanded_url === 'string' && !o.display_url.startsWith('pic.')) {
        pairs.set(o.expanded_url, o.display_url);
      }
      Object.values(o).forEach(walk);
    }
  };
  for (const f of readdirSync(join(SPEC_DIR, 'recorded')).filter((n) => n.endsWith('.json'))) {
    for (const i of loadRecording(f.slice(0, -5))) walk(i.response.body);
  }
  return pairs;
}

test('display_url is cut exactly as in every recorded link', () => {
  const pairs = recordedPairs();
  assert.ok(pairs.size >= 40, `only ${pairs.size} recorded links`);
  const wrong = [...pairs].filter(([expanded, shown]) => displayUrl(expanded) !== shown).map(([e, s]) => `${e}: ${displayUrl(e)} ≠ ${s}`);
  assert.deepEqual(wrong, []);
});
