// The pieces of the sign-in flows that need no server: scrypt password hashes, PKCE, the
// 30-second single-use authorization codes and the 15-minute request tokens (on a fake clock).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { RequestTokens, REQUEST_TOKEN_MS } from '../../src/auth/oauth1-requests.js';
import { AuthorizationCodes, CODE_MS, pkceMatches, type AuthorizationRequest } from '../../src/auth/oauth2-codes.js';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from '../../src/auth/passwords.js';
import { MemorySingleUseStore } from '../../src/auth/single-use-store.js';
import { csrfToken, csrfValid } from '../../src/http/pages/session.js';
import { withQuery } from '../../src/http/pages/common.js';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe('passwords', () => {
  test('scrypt with a per-user salt; the parameters live in the hash', async () => {
    const a = await hashPassword('hunter2 hunter2');
    assert.match(a, /^scrypt\$131072\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(DEFAULT_SCRYPT, { N: 131072, r: 8, p: 1 });
    assert.equal(await verifyPassword('hunter2 hunter2', a), true);
    // The rest at a cheap cost: every 2^17 hash is 128 MiB and a good fraction of a second.
    const [b, c] = [await hashPassword('hunter2 hunter2', CHEAP), await hashPassword('hunter2 hunter2', CHEAP)];
    assert.notEqual(b, c, 'salted');
    assert.equal(await verifyPassword('hunter2 hunter', b), false);
    assert.equal(await verifyPassword('', b), false);
    const cheap = await hashPassword('pässword', CHEAP);
    assert.ok(cheap.startsWith('scrypt$1024$8$1$'));
    // Unicode is normalised: a composed and a decomposed ä are the same password.
    assert.equal(await verifyPassword('pa\u0308ssword', cheap), true);
  });

  test('no hash, a malformed one or absurd parameters never match', async () => {
    const good = await hashPassword('secret', CHEAP);
    // The third argument is the cost spent on a hash that is missing or unreadable.
    assert.equal(await verifyPassword('secret', null, CHEAP), false);
    assert.equal(await verifyPassword('secret', '', CHEAP), false);
    assert.equal(await verifyPassword('secret', 'plaintext:secret', CHEAP), false);
    assert.equal(await verifyPassword('secret', good.replace('scrypt$1024$', 'scrypt$1000$'), CHEAP), false);
    assert.equal(await verifyPassword('secret', good.replace('scrypt$1024$', 'scrypt$2097152$'), CHEAP), false);
    assert.equal(await verifyPassword('x'.repeat(2000), good), false);
    await assert.rejects(hashPassword(''), /must not be empty/);
  });
});

describe('PKCE', () => {
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  test('RFC 7636 appendix B: S256', () => {
    assert.equal(pkceMatches('S256', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', verifier), true);
    assert.equal(pkceMatches('S256', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', verifier.replace('d', 'e')), false);
    assert.equal(pkceMatches('S256', verifier, verifier), false);
  });
  test('plain, and verifiers outside 43-128 unreserved characters', () => {
    assert.equal(pkceMatches('plain', verifier, verifier), true);
    const short = verifier.slice(0, 42);
    assert.equal(pkceMatches('plain', short, short), false);
    const spaced = `${verifier} `;
    assert.equal(pkceMatches('S256', createHash('sha256').update(spaced).digest('base64url'), spaced), false);
  });
});

describe('authorization codes and request tokens expire', () => {
  const request: AuthorizationRequest = {
    appId: 1n, clientId: 'c', redirectUri: 'https://app.example/cb', scopes: ['users.read'], state: 's',
    challenge: 'x'.repeat(43), method: 'plain', userId: 2n,
  };

  test('a code lives 30 seconds and is honoured once; a spent one is recognised as a replay', async () => {
    let now = 1_000_000;
    const codes = new AuthorizationCodes(new MemorySingleUseStore(() => now));
    const late = await codes.issue(request);
    now += CODE_MS;
    assert.equal((await codes.redeem(late)).kind, 'unknown');

    const code = await codes.issue(request);
    now += CODE_MS - 1;
    const first = await codes.redeem(code);
    assert.equal(first.kind, 'grant');
    assert.deepEqual(first.kind === 'grant' && first.grant, request);
    await codes.spent(code, 'family-1');
    assert.deepEqual(await codes.redeem(code), { kind: 'replayed', family: 'family-1' });
  });

  test('a request token lives 15 minutes; approval keeps its expiry; take is once', async () => {
    let now = 5_000_000;
    const tokens = new RequestTokens(new MemorySingleUseStore(() => now), () => now);
    const r = await tokens.mint(7n, 'oob', 'read');
    now += REQUEST_TOKEN_MS - 1000;
    const pin = await tokens.approve(r, 3n);
    assert.match(pin!, /^\d{7}$/);
    const approved = await tokens.get(r.token);
    assert.equal(approved?.verifier, pin);
    assert.equal(approved?.userId, 3n);
    now += 1000;
    assert.equal(await tokens.get(r.token), null, 'approval did not extend the 15 minutes');

    const s = await tokens.mint(7n, 'https://app.example/cb', 'read-write');
    assert.match((await tokens.approve(s, 3n))!, /^[A-Za-z0-9]{32}$/);
    assert.ok(await tokens.take(s.token));
    assert.equal(await tokens.take(s.token), null);
  });
});

describe('page helpers', () => {
  test('CSRF tokens are bound to the session, the form and its target', () => {
    const session = { id: 'x', userId: null, csrfSecret: 'secret-one' };
    const token = csrfToken(session, 'sign-in', '/oauth/authorize?oauth_token=a');
    assert.equal(csrfValid(session, 'sign-in', '/oauth/authorize?oauth_token=a', token), true);
    assert.equal(csrfValid(session, 'sign-in', '/oauth/authorize?oauth_token=b', token), false);
    assert.equal(csrfValid(session, 'oauth1-consent', '/oauth/authorize?oauth_token=a', token), false);
    assert.equal(csrfValid({ ...session, csrfSecret: 'secret-two' }, 'sign-in', '/oauth/authorize?oauth_token=a', token), false);
    assert.equal(csrfValid(null, 'sign-in', '/oauth/authorize?oauth_token=a', token), false);
    assert.equal(csrfValid(session, 'sign-in', '/oauth/authorize?oauth_token=a', undefined), false);
  });

  test('parameters are appended to a callback, keeping its own query as registered', () => {
    assert.equal(withQuery('https://a.example/cb', [['state', 'a b/+'], ['code', 'c']]), 'https://a.example/cb?state=a%20b%2F%2B&code=c');
    assert.equal(withQuery('https://a.example/cb?x=a+b%2F', [['denied', 't']]), 'https://a.example/cb?x=a+b%2F&denied=t');
    assert.equal(withQuery('https://a.example/cb?', [['denied', 't']]), 'https://a.example/cb?denied=t');
  });
});
