// Build step after tsc: copies what tsc does not emit (files under src/ that are not TypeScript,
// e.g. the SQLite checkpoint worker, checkpoint-worker.mjs) to the same place under dist/.
import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
for (const e of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!e.isFile() || e.name.endsWith('.ts')) continue;
  const from = join(e.parentPath ?? e.path, e.name);
  // The console's client is bundled by build-console.mjs, not copied.
  if (relative(src, from).startsWith(join('console', 'client'))) continue;
  cpSync(from, join(dist, relative(src, from)));
}
