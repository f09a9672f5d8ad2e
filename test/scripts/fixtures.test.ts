// test/fixtures/ holds the facts of X's spec the tests read (scripts/fixtures/build.ts). They must
// be exactly what the generator makes from the spec folder, where one is at hand: a change of the
// spec, or of the generator, shows here until `npm run fixtures` is run and its output committed.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildFixtures, FIXTURES_DIR, specDirOf } from '../../scripts/fixtures/build.js';

const specDir = specDirOf();

test('the committed fixtures are what scripts/gen-fixtures.ts makes from the spec folder', (t) => {
  if (!existsSync(join(specDir, 'recorded'))) {
    t.skip(`no spec folder at ${specDir} (set ROOST_SPEC_DIR): the fixtures cannot be checked against it`);
    return;
  }
  const built = buildFixtures(specDir);
  assert.deepEqual(Object.keys(built).sort(), ['designs.json', 'links.json', 'openapi-v2.json', 'recorded.json', 'spec.json']);
  for (const [name, text] of Object.entries(built)) {
    const committed = readFileSync(join(FIXTURES_DIR, name), 'utf8');
    assert.ok(committed === text, `test/fixtures/${name} differs from what ${specDir} gives: run npm run fixtures -- ${specDir}`);
  }
});

test('the fixtures keep names, order and types of the recordings, never their values', () => {
  const recorded = JSON.parse(readFileSync(join(FIXTURES_DIR, 'recorded.json'), 'utf8')) as Record<string, { path: string; body: unknown }[]>;
  const scalars: unknown[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
    else scalars.push(v);
  };
  for (const interactions of Object.values(recorded)) {
    for (const i of interactions) {
      walk(i.body);
      assert.ok(!/=[^&]/.test(i.path), `query values are dropped: ${i.path}`);
    }
  }
  assert.ok(scalars.length > 1000, `${scalars.length} recorded fields`);
  assert.deepEqual(new Set(scalars.filter((v) => typeof v === 'string' || typeof v === 'number')), new Set([0, '']));
  const users = recorded.testgetuser![0]!.body as Record<string, unknown>;
  assert.deepEqual(Object.keys(users).slice(0, 4), ['id', 'id_str', 'name', 'screen_name']);
});
