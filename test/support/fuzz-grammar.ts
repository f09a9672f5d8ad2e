// The grammar of Twitter parameter values the fuzz tests draw from: ids at and past the 64-bit
// edges, negatives, numbers in odd spellings, unicode, screen names, comma lists, long values.
import fc from 'fast-check';

export const SPECIAL = [
  '-1', '0', '1', '-0', '+1', ' 7 ', '1.5', '1e3', '0x1f', 'NaN', 'Infinity', 'true', 'True', 'False', 'f', 't',
  'null', 'undefined', '[]', '{}', '%', '%zz', '%%', '+', ' ', '', ',', ',,,', ', ,1,', '\u0000', '\uFEFF', '🐦',
  '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '18446744073709551615', '18446744073709551616', '99999999999999999999999999', '9007199254740993',
  '-9007199254740993', '4294967296', '00000000000000000001',
];

export const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n)), maxLength: 4 });

export interface GrammarOptions {
  /** ids and screen names of real accounts, so that some requests name someone */
  known: readonly string[];
  /** include unpaired UTF-16 surrogates (only where the request is not signed by a library that rejects them) */
  surrogates?: boolean;
}

/** A parameter value. */
export function valueArb(o: GrammarOptions): fc.Arbitrary<string> {
  const known = fc.constantFrom(...o.known, ...o.known.map((s) => s.toUpperCase()), ...o.known.map((s) => `@${s}`), ...o.known.map((s) => ` ${s} `));
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...SPECIAL) },
    { weight: 4, arbitrary: known },
    { weight: 2, arbitrary: fc.string() },
    { weight: 2, arbitrary: fc.string({ unit: 'binary' }) },
    { weight: o.surrogates ? 1 : 0, arbitrary: loneSurrogates },
    { weight: 2, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String) },
    { weight: 1, arbitrary: fc.integer({ min: -1_000_000_000, max: -1 }).map(String) },
    { weight: 1, arbitrary: fc.double().map(String) },
    {
      weight: 2,
      arbitrary: fc.array(fc.oneof(known, fc.constantFrom(...SPECIAL), fc.string({ maxLength: 5 })), { maxLength: 130 }).map((a) => a.join(',')),
    },
    // long lists of distinct items (users/lookup and friendships/lookup take at most 100)
    { weight: 1, arbitrary: fc.uniqueArray(fc.nat({ max: 10_000 }).map(String), { minLength: 90, maxLength: 150 }).map((a) => a.join(',')) },
    {
      // very long values, up to ~10k characters
      weight: 1,
      arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 200, max: 10_000 }))
        .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n)),
    },
  );
}
