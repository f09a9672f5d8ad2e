// Writes test/fixtures/ from a spec folder: `npm run fixtures [-- SPEC_DIR]` (default: ROOST_SPEC_DIR,
// else ../shared/spec from the repository root). See scripts/fixtures/build.ts for what they hold.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, FIXTURES_DIR, specDirOf } from './fixtures/build.js';

const specDir = specDirOf(process.argv[2]);
mkdirSync(FIXTURES_DIR, { recursive: true });
for (const [name, text] of Object.entries(buildFixtures(specDir))) {
  writeFileSync(join(FIXTURES_DIR, name), text);
  process.stdout.write(`${join('test/fixtures', name)}: ${Math.round(text.length / 1024)} KB from ${specDir}\n`);
}
