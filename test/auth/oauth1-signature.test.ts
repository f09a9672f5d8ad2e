import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  baseUrl,
  parseOAuthHeader,
  percentEncode,
  sign,
  signatureBaseString,
  verifySignature,
} from '../../src/auth/oauth1-signature.js';
import { parseForm, type Param } from '../../src/http/form.js';

// Spec §7.3 header, wrapped as in the spec (line breaks must be tolerated).
const HEADER_A = `OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog",
  oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
  oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D",
  oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958",
  oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
  oauth_version="1.0"`;

function form(raw: string): Param[] {
  const params = parseForm(raw);
  assert.ok(params, `form should parse: ${raw}`);
  return params;
}

/** Header params as they enter the base string: decoded, without oauth_signature. */
function headerParams(header: string): Param[] {
  const map = parseOAuthHeader(header);
  assert.ok(map, 'header should parse');
  return [...map].filter(([n]) => n !== 'oauth_signature');
}

/** The decoded third part of a base string: the normalized parameter string. */
function paramStringOf(base: string): string {
  const parts = base.split('&');
  assert.equal(parts.length, 3);
  return decodeURIComponent(parts[2] ?? '');
}

// Vectors B and C share credentials (spec §7.7).
const ROOST = { consumerSecret: 'roostTestConsumerSecret', tokenSecret: 'roostTestTokenSecret' };
const roostOAuth = (nonce = '4e6f6e63652d31'): Param[] => [
  ['oauth_consumer_key', 'roostTestConsumerKey'],
  ['oauth_nonce', nonce],
  ['oauth_signature_method', 'HMAC-SHA1'],
  ['oauth_timestamp', '1700000000'],
  ['oauth_token', '1001-Yw9xL2qPz8AbCdEf'],
  ['oauth_version', '1.0'],
];
const URL_B = baseUrl('http', '127.0.0.1:3000', '/1.1/followers/ids.json');
const SIG_B = 'ugtEH1o9bvpCeEAyxoWQtvTHL0E=';
const URL_C = baseUrl('http', 'localhost:3000', '/1.1/friendships/create.json');
const SIG_C = 'CGI26ZScaYfAdTCzsUp6gV+siWQ=';

test('vector A: Twitter published example', () => {
  const url = baseUrl('https', 'api.twitter.com', '/1.1/statuses/update.json');
  assert.equal(url, 'https://api.twitter.com/1.1/statuses/update.json');
  const params = [
    ...form('include_entities=true'),
    ...form('status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21'),
    ...headerParams(HEADER_A),
  ];
  const base = signatureBaseString('POST', url, params);
  assert.equal(
    paramStringOf(base),
    'include_entities=true&oauth_consumer_key=xvz1evFS4wEEPTGEFPHBog&oauth_nonce=kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1318622958&oauth_token=370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb&oauth_version=1.0&status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21',
  );
  assert.ok(base.startsWith('POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&'));
  const signature = sign(
    base,
    'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
    'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
  );
  assert.equal(signature, 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  assert.equal(parseOAuthHeader(HEADER_A)?.get('oauth_signature'), signature);
});

test('vector B: roost GET with a non-default port', () => {
  assert.equal(URL_B, 'http://127.0.0.1:3000/1.1/followers/ids.json');
  const params = [...form('screen_name=alice&cursor=-1&stringify_ids=true'), ...roostOAuth()];
  const base = signatureBaseString('GET', URL_B, params);
  assert.equal(
    base,
    'GET&http%3A%2F%2F127.0.0.1%3A3000%2F1.1%2Ffollowers%2Fids.json&cursor%3D-1%26oauth_consumer_key%3DroostTestConsumerKey%26oauth_nonce%3D4e6f6e63652d31%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3D1001-Yw9xL2qPz8AbCdEf%26oauth_version%3D1.0%26screen_name%3Dalice%26stringify_ids%3Dtrue',
  );
  assert.equal(sign(base, ROOST.consumerSecret, ROOST.tokenSecret), SIG_B);
});

test('vector C: roost POST form body with + and %2B', () => {
  const params = [...form('screen_name=bob&follow=true&note=a+b%2Bc'), ...roostOAuth()];
  const base = signatureBaseString('POST', URL_C, params);
  assert.equal(
    paramStringOf(base),
    'follow=true&note=a%20b%2Bc&oauth_consumer_key=roostTestConsumerKey&oauth_nonce=4e6f6e63652d31&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000000&oauth_token=1001-Yw9xL2qPz8AbCdEf&oauth_version=1.0&screen_name=bob',
  );
  assert.ok(base.startsWith('POST&http%3A%2F%2Flocalhost%3A3000%2F1.1%2Ffriendships%2Fcreate.json&'));
  assert.equal(sign(base, ROOST.consumerSecret, ROOST.tokenSecret), SIG_C);
});

test('vector D: request token, empty token secret', () => {
  const url = baseUrl('http', '127.0.0.1:3000', '/oauth/request_token');
  const params: Param[] = [
    ['oauth_callback', 'oob'],
    ['oauth_consumer_key', 'roostTestConsumerKey'],
    ['oauth_nonce', '4e6f6e63652d32'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '1700000000'],
    ['oauth_version', '1.0'],
  ];
  const base = signatureBaseString('POST', url, params);
  assert.equal(
    base,
    'POST&http%3A%2F%2F127.0.0.1%3A3000%2Foauth%2Frequest_token&oauth_callback%3Doob%26oauth_consumer_key%3DroostTestConsumerKey%26oauth_nonce%3D4e6f6e63652d32%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_version%3D1.0',
  );
  assert.equal(sign(base, 'roostTestConsumerSecret', ''), '5h80hZhbuG856wVuMOgi2ldpzmU=');
});

test('RFC 5849 §3.4.1.1 example: base string with duplicates, empty values, double encoding', () => {
  const header = `OAuth realm="Example",
    oauth_consumer_key="9djdj82h48djs9d2",
    oauth_token="kkk9d7dh3k39sjv7",
    oauth_signature_method="HMAC-SHA1",
    oauth_timestamp="137131201",
    oauth_nonce="7d8f3e4a",
    oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"`;
  const params = [
    ...form('b5=%3D%253D&a3=a&c%40=&a2=r%20b'),
    ...form('c2&a3=2+q'),
    ...headerParams(header),
  ];
  assert.equal(
    signatureBaseString('POST', baseUrl('HTTP', 'Example.com:80', '/request'), params),
    'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
  );
});

test('signatureBaseString: upper-cases the method; sorts by code unit, not locale', () => {
  const base = signatureBaseString('get', 'http://h/p', [
    ['b', '1'],
    ['B', '1'],
    ['a', 'z'],
    ['a', 'Z'],
  ]);
  assert.equal(paramStringOf(base), 'B=1&a=Z&a=z&b=1');
  assert.ok(base.startsWith('GET&'));
});

test('baseUrl: lower-cases scheme/host, drops only default ports, keeps path', () => {
  assert.equal(baseUrl('HTTPS', 'Roost.Example:443', '/1.1/A.json'), 'https://roost.example/1.1/A.json');
  assert.equal(baseUrl('http', 'roost.example:80', '/x'), 'http://roost.example/x');
  assert.equal(baseUrl('http', 'roost.example:443', '/x'), 'http://roost.example:443/x');
  assert.equal(baseUrl('https', 'roost.example:80', '/x'), 'https://roost.example:80/x');
  assert.equal(baseUrl('https', '[::1]:443', '/x'), 'https://[::1]/x');
  assert.equal(baseUrl('http', '[::1]:8080', '/x'), 'http://[::1]:8080/x');
  assert.equal(baseUrl('http', 'h', '/a%2Fb/C'), 'http://h/a%2Fb/C');
});

test('percentEncode: RFC 3986 with upper-case hex', () => {
  assert.equal(percentEncode('Ladies + Gentlemen'), 'Ladies%20%2B%20Gentlemen');
  assert.equal(percentEncode("An encoded string!*'()"), 'An%20encoded%20string%21%2A%27%28%29');
  assert.equal(percentEncode('AZaz09-._~'), 'AZaz09-._~');
  assert.equal(percentEncode('☃'), '%E2%98%83');
  assert.equal(percentEncode('🐦'), '%F0%9F%90%A6');
});

test('percentEncode property: round-trips and emits only unreserved characters and %XX', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      const enc = percentEncode(s);
      assert.equal(decodeURIComponent(enc), s);
      assert.match(enc, /^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/);
    }),
  );
});

// --- verifySignature ---

const paramsB = (): Param[] => [...form('screen_name=alice&cursor=-1&stringify_ids=true'), ...roostOAuth()];
const paramsC = (): Param[] => [...form('screen_name=bob&follow=true&note=a+b%2Bc'), ...roostOAuth()];
const verifyC = (over: Partial<Parameters<typeof verifySignature>[0]>): boolean =>
  verifySignature({ method: 'POST', urls: [URL_C], params: paramsC(), signature: SIG_C, ...ROOST, ...over });

test('verifySignature: accepts vector C as is', () => {
  assert.equal(verifyC({}), true);
});

test('verifySignature: wrong consumer secret fails', () => {
  assert.equal(verifyC({ consumerSecret: 'roostTestConsumerSecreT' }), false);
});

test('verifySignature: wrong token secret fails', () => {
  assert.equal(verifyC({ tokenSecret: 'otherTokenSecret' }), false);
  assert.equal(verifyC({ tokenSecret: '' }), false);
});

test('verifySignature: tampered body parameter fails', () => {
  const params = [...form('screen_name=bob&follow=true&note=a+b%2Bd'), ...roostOAuth()];
  assert.equal(verifyC({ params }), false);
  assert.equal(verifyC({ params: paramsC().filter(([n]) => n !== 'follow') }), false);
});

test('verifySignature: wrong method or URL fails', () => {
  assert.equal(verifyC({ method: 'GET' }), false);
  assert.equal(verifyC({ urls: [baseUrl('https', 'localhost:3000', '/1.1/friendships/create.json')] }), false);
  assert.equal(verifyC({ urls: [] }), false);
});

test('verifySignature: a parameter moved between query and body still verifies', () => {
  // Vector B, but with cursor and stringify_ids in a form body instead of the query.
  const query = form('screen_name=alice');
  const body = form('cursor=-1&stringify_ids=true');
  const base = { method: 'GET', urls: [URL_B], signature: SIG_B, ...ROOST };
  assert.equal(verifySignature({ ...base, params: [...query, ...body, ...roostOAuth()] }), true);
  assert.equal(verifySignature({ ...base, params: [...roostOAuth(), ...body, ...query] }), true);
});

test('verifySignature: any candidate base URL may match', () => {
  const other = baseUrl('https', 'roost.example', '/1.1/followers/ids.json');
  const input = { method: 'GET', params: paramsB(), signature: SIG_B, ...ROOST };
  assert.equal(verifySignature({ ...input, urls: [other] }), false);
  assert.equal(verifySignature({ ...input, urls: [other, URL_B] }), true);
});

test('verifySignature: twitter-api-v2 access_token (oauth_token in header and body, signed once)', () => {
  const url = baseUrl('http', '127.0.0.1:3000', '/oauth/access_token');
  const header: Param[] = [
    ['oauth_consumer_key', 'roostTestConsumerKey'],
    ['oauth_nonce', '4e6f6e63652d33'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '1700000000'],
    ['oauth_token', 'reqTok123'],
    ['oauth_version', '1.0'],
  ];
  const body = form('oauth_token=reqTok123&oauth_verifier=8ac5a1');
  // The client's parameter map holds oauth_token once.
  const clientParams: Param[] = [...header, ['oauth_verifier', '8ac5a1']];
  const signature = sign(signatureBaseString('POST', url, clientParams), 'roostTestConsumerSecret', 'reqSecret');
  const received = [...header, ...body];
  // The strict base string differs, so only the tolerance can accept it.
  assert.notEqual(signatureBaseString('POST', url, received), signatureBaseString('POST', url, clientParams));
  const input = { method: 'POST', urls: [url], params: received, consumerSecret: 'roostTestConsumerSecret', tokenSecret: 'reqSecret' };
  assert.equal(verifySignature({ ...input, signature }), true);

  // A genuinely different signature is still rejected.
  const wrong = sign(signatureBaseString('POST', url, clientParams), 'roostTestConsumerSecret', 'otherSecret');
  assert.notEqual(wrong, signature);
  assert.equal(verifySignature({ ...input, signature: wrong }), false);

  // Same name but a different value is not a duplicate: not collapsed.
  const conflicting = [...header, ...form('oauth_token=reqTok999&oauth_verifier=8ac5a1')];
  assert.equal(verifySignature({ ...input, params: conflicting, signature }), false);
});

test('verifySignature: strict duplicates still verify when the client signed both', () => {
  const params = [...paramsC(), ['follow', 'true'] as const];
  const signature = sign(signatureBaseString('POST', URL_C, params), ROOST.consumerSecret, ROOST.tokenSecret);
  assert.equal(verifyC({ params, signature }), true);
});

test('verifySignature: signatures of a different length return false without throwing', () => {
  for (const signature of ['', 'abc', SIG_C + '=', SIG_C.slice(0, -1), 'é'.repeat(28)]) {
    assert.equal(verifyC({ signature }), false, JSON.stringify(signature));
  }
});

// --- parseOAuthHeader ---

test('parseOAuthHeader: the §7.3 header with line breaks', () => {
  const map = parseOAuthHeader(HEADER_A);
  assert.deepEqual(
    map,
    new Map([
      ['oauth_consumer_key', 'xvz1evFS4wEEPTGEFPHBog'],
      ['oauth_nonce', 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'],
      ['oauth_signature', 'hCtSmYh+iHYCEqBWrE7C7hYmtUk='],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1318622958'],
      ['oauth_token', '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb'],
      ['oauth_version', '1.0'],
    ]),
  );
});

test('parseOAuthHeader: realm dropped, whitespace around = and commas, names decoded', () => {
  const map = parseOAuthHeader('OAuth realm="Example" ,\r\n\toauth_token = "a%20b" ,oauth%5Fnonce="x+y",oauth_callback=""');
  assert.deepEqual(
    map,
    new Map([
      ['oauth_token', 'a b'],
      ['oauth_nonce', 'x+y'], // + is literal in the header, not a space
      ['oauth_callback', ''],
    ]),
  );
});

test('parseOAuthHeader: lowercase scheme accepted', () => {
  assert.deepEqual(parseOAuthHeader('oauth oauth_token="t"'), new Map([['oauth_token', 't']]));
  assert.deepEqual(parseOAuthHeader('OAUTH oauth_token="t"'), new Map([['oauth_token', 't']]));
});

test('parseOAuthHeader: repeated name → null (also when only the encoding differs)', () => {
  assert.equal(parseOAuthHeader('OAuth oauth_token="a", oauth_token="a"'), null);
  assert.equal(parseOAuthHeader('OAuth oauth_token="a", oauth%5Ftoken="b"'), null);
});

test('parseOAuthHeader: garbage and malformed headers → null', () => {
  for (const header of [
    '',
    'garbage',
    'Bearer AAAA',
    'OAuth',
    'OAuth ',
    'OAuthoauth_token="t"',
    'OAuth realm="x"',
    'OAuth oauth_token=t',
    'OAuth oauth_token="t',
    'OAuth oauth_token="t",',
    'OAuth oauth_token="t" oauth_nonce="n"',
    'OAuth ,oauth_token="t"',
    'OAuth ="t"',
    'OAuth oauth_token="%zz"',
    'OAuth oauth_token="%ff"',
  ]) {
    assert.equal(parseOAuthHeader(header), null, JSON.stringify(header));
  }
});
