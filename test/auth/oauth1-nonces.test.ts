// OAuth 1.0a nonces cost the server a fixed, bounded amount: one longer than 128 characters is
// refused before anything is stored, and a process holding its cap of nonces refuses new signed
// requests (401/32) rather than forgetting older nonces, which would let them be replayed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness, type TestUser } from '../support/harness.js';
import { assertV1Error } from '../support/calls.js';
import { sendSigned, signedRequest, type Credentials } from '../support/sign.js';

const CAP = 100;
let h: Harness;
let alice: TestUser;
let creds: Credentials;
before(async () => {
  h = await startHarness({ nonceCap: CAP });
  alice = await h.user('alice');
  creds = { consumerKey: h.app.consumerKey, consumerSecret: h.app.consumerSecret, token: alice.token, tokenSecret: alice.secret };
});
after(() => h.close());

const verify = (nonce: string, path = '/1.1/account/verify_credentials.json') =>
  sendSigned(signedRequest(creds, { method: 'GET', origin: h.url, path, nonce }));

describe('OAuth 1.0a nonces', () => {
  test('a nonce over 128 characters is refused with 401/32, in either API; up to 128 is taken', async () => {
    assertV1Error(await verify('n'.repeat(15_000)), 401, 32, 'Could not authenticate you.');
    assertV1Error(await verify(randomBytes(65).toString('hex').slice(0, 129)), 401, 32);
    const v2 = await verify('n'.repeat(15_000), '/2/users/me');
    assert.equal(v2.status, 401, v2.text);
    assert.equal(v2.json.title, 'Unauthorized');
    const longest = await verify(randomBytes(64).toString('hex'));
    assert.equal(longest.status, 200, longest.text);
  });

  test('at its cap the store refuses new nonces, and never forgets a recorded one', async (t) => {
    // Redis's keys are bounded by their size and expiry, not by a count (docs/security.md).
    if (h.server.services.redis) return t.skip('nonces are in Redis');
    const first = randomBytes(16).toString('hex');
    assert.equal((await verify(first)).status, 200);
    // Fill the store (the test above recorded one nonce too).
    let accepted = 2;
    while (accepted < CAP) {
      const r = await verify(randomBytes(16).toString('hex'));
      assert.equal(r.status, 200, r.text);
      accepted++;
    }
    assertV1Error(await verify(randomBytes(16).toString('hex')), 401, 32);
    assertV1Error(await verify(first), 401, 32, 'Could not authenticate you.');
  });

  test('a journal directory that cannot be made leaves the server answering, from memory', async () => {
    const other = await startHarness({ nonceDir: '/dev/null/nonces' });
    try {
      const bob = await other.user('bob');
      const req = signedRequest({ consumerKey: other.app.consumerKey, consumerSecret: other.app.consumerSecret, token: bob.token, tokenSecret: bob.secret },
        { method: 'GET', origin: other.url, path: '/1.1/account/verify_credentials.json' });
      assert.equal((await sendSigned(req)).status, 200);
      assertV1Error(await sendSigned(req), 401, 32);
    } finally {
      await other.close();
    }
  });
});
