// scripts/check-imports.ts finds the import cycles that matter at load time, and only those, and
// every import that climbs the declared layers.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { cycles, importGraph, layerBreaches } from '../../scripts/check-imports.js';

const dir = mkdtempSync(join(tmpdir(), 'roost-imports-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>, root = dir): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

test('a load-time loop is reported as a closed path; type imports and dynamic imports are not loops', () => {
  write({
    'a.ts': "import { b } from './sub/b.js';\nexport const a = () => b;\n",
    'sub/b.ts': "import { c } from './c.js';\nexport const b = c;\n",
    'sub/c.ts': "export { a } from '../a.js';\nexport const c = 1;\n",
    'd.ts': "import type { E } from './e.js';\nexport type D = E;\nexport const d = 1;\n",
    'e.ts': "import { d } from './d.js';\nexport type E = number;\nexport const e = () => import('./f.js').then(() => d);\n",
    'f.ts': "import { e } from './e.js';\nexport const f = e;\n",
  });
  const found = cycles(importGraph(dir)).map((c) => c.map((f) => relative(dir, f)));
  assert.deepEqual(found, [['a.ts', 'sub/b.ts', 'sub/c.ts', 'a.ts']]);
});

test('src/ is checked: its cycles are listed (not yet an error)', (t) => {
  const found = cycles(importGraph());
  for (const c of found) t.diagnostic(`import cycle: ${c.map((f) => relative(process.cwd(), f)).join(' -> ')}`);
  for (const c of found) assert.equal(c[0], c.at(-1), 'each cycle is a closed path');
});

test('an import into a higher layer is reported, types and later loads included; a module in no layer is too', () => {
  const tree = join(dir, 'layered');
  write({
    'top/main.ts': "import { low } from '../low/base.js';\nexport const main = low;\n",
    'mid/rules.ts': "import type { Main } from '../top/types.js';\nimport { low } from '../low/base.js';\nexport const rules = (m: Main) => [m, low];\n",
    'top/types.ts': 'export type Main = number;\n',
    'low/base.ts': "export const low = 1;\nexport const later = () => import('../mid/rules.js');\n",
    'low/vocabulary.ts': "export type { Main } from '../top/types.js';\n",
    'stray/orphan.ts': "import { low } from '../low/base.js';\nexport const orphan = low;\n",
  }, tree);
  const layers = [['top'], ['mid', 'top/types'], ['low']];
  const found = layerBreaches(importGraph(tree, true), tree, layers)
    .map((b) => `${relative(tree, b.from)} (${b.fromLayer}) -> ${relative(tree, b.to)} (${b.toLayer})`).sort();
  assert.deepEqual(found, [
    'low/base.ts (low) -> mid/rules.ts (mid, top/types)',
    'low/vocabulary.ts (low) -> top/types.ts (mid, top/types)',
    'stray/orphan.ts (null) -> stray/orphan.ts (null)',
  ]);
  // Load-time imports alone miss the type-only and on-demand ones.
  const loadTime = layerBreaches(importGraph(tree), tree, layers).filter((b) => b.fromLayer !== null);
  assert.deepEqual(loadTime, []);
});

test('src/ keeps its layers: no module imports a layer above its own', () => {
  const found = layerBreaches(importGraph(undefined, true));
  assert.deepEqual(found.map((b) => `${relative(process.cwd(), b.from)} -> ${relative(process.cwd(), b.to)}`), []);
});
