// roost's JSON writer: what JSON.stringify writes for every value it can write, 64-bit ids as exact
// integer tokens, and encoded pieces spliced in verbatim.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeJson, JsonBytes, toJson } from '../../src/wire/json.js';

const runs = Number(process.env.ROOST_JSON_RUNS ?? 2000);

describe('JSON writer', () => {
  it('writes what JSON.stringify writes for plain values, undefined members dropped', () => {
    const value = fc.jsonValue().chain((v) => fc.constant(v));
    const withUndefined = fc.dictionary(fc.string(), fc.oneof(fc.constant(undefined), fc.jsonValue()));
    fc.assert(fc.property(fc.oneof(value, withUndefined), (v) => {
      const expected = JSON.stringify(v);
      assert.equal(toJson(v as never), expected);
      assert.equal(encodeJson(v as never).toString('utf8'), expected);
    }), { numRuns: runs });
  });

  it('writes bigints as their digits and splices encoded bytes', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.jsonValue(), (id, other) => {
      const spliced = new JsonBytes(Buffer.from(JSON.stringify(other)));
      const text = toJson({ id, id_str: id.toString(), ids: [id, id], other: spliced, empty: {} });
      assert.equal(text, `{"id":${id},"id_str":"${id}","ids":[${id},${id}],"other":${JSON.stringify(other)},"empty":{}}`);
      assert.equal(encodeJson({ a: spliced }).toString(), `{"a":${JSON.stringify(other)}}`);
    }), { numRuns: runs });
  });
});
