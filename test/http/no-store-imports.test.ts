// HTTP reads and writes through the graph (and auth): no file under src/http names the store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const HTTP = new URL('../../src/http/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []);
}

test('no file under src/http imports from src/store, types included', () => {
  const files = sources(HTTP);
  assert.ok(files.length > 30, 'the walk finds the HTTP sources');
  const offenders = files.filter((f) => /from '(\.\.\/)+store\//.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders.map((f) => f.slice(HTTP.length)), []);
});
