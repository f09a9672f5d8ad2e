// The parameter step: what each declared type makes of what a client sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Args, type ParamSpec } from '../../src/http/params.js';
import { V1_ENDPOINTS } from '../../src/http/v1/endpoints.js';
import { V1Error } from '../../src/wire/v1/errors.js';

const SPECS: ParamSpec[] = [
  { name: 'on', type: 'flag', default: true },
  { name: 'off', type: 'flag', default: false },
  { name: 'tri', type: 'tristate' },
  { name: 'count', type: 'int', default: 20, min: 1, max: 200 },
  { name: 'cursor', type: 'cursor' },
  { name: 'ids', type: 'list' },
  { name: 'source_id', type: 'text', alias: 'source_user_id' },
];
const parse = (q: Record<string, string>) => Args.parse(SPECS, new Map(Object.entries(q)));

test('flags keep their default unless set to the opposite word, in any case', () => {
  assert.equal(parse({}).flag('on'), true);
  assert.equal(parse({ on: 'F' }).flag('on'), false);
  assert.equal(parse({ on: 'nonsense' }).flag('on'), true);
  assert.equal(parse({}).flag('off'), false);
  assert.equal(parse({ off: ' True ' }).flag('off'), true);
  assert.equal(parse({ off: 'yes' }).flag('off'), false);
  assert.equal(parse({}).tristate('tri'), undefined);
  assert.equal(parse({ tri: 't' }).tristate('tri'), true);
  assert.equal(parse({ tri: 'x' }).tristate('tri'), false);
});

test('an integer is clamped to its declared range; what is not an integer leaves the default', () => {
  assert.equal(parse({}).int('count'), 20);
  assert.equal(parse({ count: '0' }).int('count'), 1);
  assert.equal(parse({ count: '5000' }).int('count'), 200);
  assert.equal(parse({ count: '1e3' }).int('count'), 20);
  assert.equal(parse({ count: ' 7 ' }).int('count'), 7);
  assert.equal(parse({ count: 'x' }).raw('count'), 'x');
});

test('a cursor is a signed 64-bit integer, -1 when absent; anything else is 400/44 before the handler runs', () => {
  assert.equal(parse({}).cursor(), -1n);
  assert.equal(parse({ cursor: '9223372036854775807' }).cursor(), (1n << 63n) - 1n);
  assert.equal(parse({ cursor: '-2' }).cursor(), -2n);
  for (const bad of ['abc', '9223372036854775808', '1.5']) {
    assert.throws(() => parse({ cursor: bad }), (e: unknown) => e instanceof V1Error && e.def.code === 44 && e.def.status === 400);
  }
});

test('lists drop empties and repeats in order; an alias wins over the declared name', () => {
  assert.deepEqual(parse({ ids: ' 3,,1,3 , 2' }).list('ids'), ['3', '1', '2']);
  assert.equal(parse({ source_id: '1', source_user_id: '2' }).text('source_id'), '2');
  assert.equal(parse({ source_id: '1' }).text('source_id'), '1');
});

test('reading a parameter the endpoint did not declare, or as another type, fails loudly', () => {
  assert.throws(() => parse({}).flag('count'), /not declared as flag/);
  assert.throws(() => parse({ q: 'x' }).text('q'), /not declared/);
});

test('every v1.1 endpoint declares a parameter once', () => {
  for (const e of V1_ENDPOINTS) {
    const names = e.params.map((p) => p.name);
    assert.equal(new Set(names).size, names.length, e.name);
  }
});
