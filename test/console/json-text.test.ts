// The console's JSON indentation works on the text: the same layout as JSON.stringify(value,
// null, 2) for any JSON, but numbers (64-bit ids above all) kept exactly as sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { prettyJson } from '../../src/console/client/json-text.js';

test('lays out any JSON as JSON.stringify(value, null, 2) does, whatever whitespace it came with', () => {
  fc.assert(fc.property(fc.jsonValue(), fc.constantFrom(undefined, 1, '\t', ' \n '), (value, indent) => {
    const sent = JSON.stringify(value, null, indent as string | number | undefined);
    assert.equal(prettyJson(sent), JSON.stringify(value, null, 2));
  }), { numRuns: 500 });
});

test('a 64-bit id keeps every digit; two ids a double would merge stay two', () => {
  const text = '{"ids":[1874244142494674944,1874244142494674945],"id_str":"1874244142494674945","next":{},"e":[]}';
  assert.equal(prettyJson(text), [
    '{',
    '  "ids": [',
    '    1874244142494674944,',
    '    1874244142494674945',
    '  ],',
    '  "id_str": "1874244142494674945",',
    '  "next": {},',
    '  "e": []',
    '}',
  ].join('\n'));
});

test('text that is not JSON is shown as it came', () => {
  assert.equal(prettyJson('<html>nope</html>'), '<html>nope</html>');
  assert.equal(prettyJson('{"a":'), '{"a":');
});
