// tweepy (Debian's python3-tweepy) cannot be told another host: with HTTPS_PROXY and
// REQUESTS_CA_BUNDLE alone it reaches roost, v1.1 and v2, OAuth 1.0a signatures verified.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { PYTHON, TWEEPY_SKIP } from '../support/python.js';
import { startFrontHarness, type FrontHarness } from '../support/twitter-front.js';

const SCRIPT = new URL('./tweepy_client.py', import.meta.url).pathname;

const skip = TWEEPY_SKIP;
let h: FrontHarness;
before(async () => {
  if (!skip) h = await startFrontHarness({ proxyPort: 0 });
});
after(() => h?.close());

test('an unmodified tweepy script reaches roost through the proxy and the CA', { skip }, async () => {
  const alice = await h.user('alice_py');
  const bob = await h.user('bob_py');
  const carol = await h.user('carol_py');
  const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT, 'bob_py', carol.user.id.toString()], {
    env: {
      PATH: '/usr/bin:/bin',
      HTTPS_PROXY: h.server.proxyUrl!,
      // roost's CA alone: the script trusts nothing else.
      REQUESTS_CA_BUNDLE: h.server.caPath!,
      CONSUMER_KEY: h.app.consumerKey,
      CONSUMER_SECRET: h.app.consumerSecret,
      ACCESS_TOKEN: alice.token,
      ACCESS_TOKEN_SECRET: alice.secret,
    },
    timeout: 60_000,
  });
  const seen = JSON.parse(stdout);
  assert.equal(seen.me, alice.user.id.toString());
  assert.equal(seen.shown, bob.user.id.toString());
  assert.deepEqual(seen.friend_ids, [bob.user.id.toString()]);
  assert.equal(seen.me_v2, alice.user.id.toString());
  assert.deepEqual(seen.followed, { following: true, pending_follow: false });
  assert.deepEqual(seen.following, ['bob_py', 'carol_py']);
});
