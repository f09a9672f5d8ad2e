import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstValues, parseForm, percentDecode } from '../../src/http/form.js';

test('parseForm: + is a space, %2B is a plus', () => {
  assert.deepEqual(parseForm('note=a+b%2Bc'), [['note', 'a b+c']]);
});

test('parseForm: + and %XX decode in names too', () => {
  assert.deepEqual(parseForm('a+b%3D=1'), [['a b=', '1']]);
});

test('parseForm: splits on the first = only', () => {
  assert.deepEqual(parseForm('q=a=b'), [['q', 'a=b']]);
});

test('parseForm: a piece without = is a name with an empty value', () => {
  assert.deepEqual(parseForm('a'), [['a', '']]);
  assert.deepEqual(parseForm('a&b=1'), [['a', ''], ['b', '1']]);
});

test('parseForm: empty pieces are skipped', () => {
  assert.deepEqual(parseForm(''), []);
  assert.deepEqual(parseForm('&&a=1&&b=2&'), [['a', '1'], ['b', '2']]);
});

test('parseForm: duplicates are kept in order', () => {
  assert.deepEqual(parseForm('user_id=1&x=y&user_id=2'), [
    ['user_id', '1'],
    ['x', 'y'],
    ['user_id', '2'],
  ]);
});

test('parseForm: bytes are decoded as UTF-8, literal non-ASCII passes through', () => {
  assert.deepEqual(parseForm('name=%C3%A9t%C3%A9&e=%F0%9F%90%A6'), [
    ['name', 'été'],
    ['e', '🐦'],
  ]);
  assert.deepEqual(parseForm('n=é%20🐦'), [['n', 'é 🐦']]);
});

test('parseForm: a leading byte-order mark is kept', () => {
  assert.deepEqual(parseForm('a=%EF%BB%BFx'), [['a', '\uFEFFx']]);
});

test('parseForm: malformed percent escapes → null', () => {
  assert.equal(parseForm('a=%zz'), null);
  assert.equal(parseForm('a=%2'), null);
  assert.equal(parseForm('a=%'), null);
  assert.equal(parseForm('%g0=1'), null);
});

test('parseForm: invalid UTF-8 → null', () => {
  assert.equal(parseForm('a=%ff'), null);
  assert.equal(parseForm('a=%C3'), null); // truncated sequence
  assert.equal(parseForm('a=%C0%AF'), null); // overlong
  assert.equal(parseForm('a=%ED%A0%80'), null); // encoded surrogate
});

test('percentDecode: + is literal unless plusIsSpace', () => {
  assert.equal(percentDecode('a+b%2B', false), 'a+b+');
  assert.equal(percentDecode('a+b%2B', true), 'a b+');
});

test('firstValues: first occurrence wins', () => {
  const params = parseForm('user_id=1&screen_name=bob&user_id=2');
  assert.ok(params);
  const map = firstValues(params);
  assert.equal(map.get('user_id'), '1');
  assert.equal(map.get('screen_name'), 'bob');
  assert.equal(map.size, 2);
});
