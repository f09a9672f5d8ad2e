import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderApiDoc } from '../../src/docs/api-doc.js';
import { V1_ENDPOINTS, v1Path } from '../../src/http/v1/endpoints.js';

test('docs/api.md is what the endpoint table generates (run npm run docs)', () => {
  const committed = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  assert.equal(committed, renderApiDoc());
});

test('docs/api.md names every endpoint the router serves', () => {
  const doc = renderApiDoc();
  for (const e of V1_ENDPOINTS) assert.ok(doc.includes(`\`${v1Path(e)}\``), v1Path(e));
});
