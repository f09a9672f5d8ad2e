// scripts/check-imports.ts finds the import cycles that matter at load time, and only those.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { cycles, importGraph } from '../../scripts/check-imports.js';

const dir = mkdtempSync(join(tmpdir(), 'roost-imports-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
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
