// A graceful stop (what SIGTERM runs): requests already in flight finish with their answers and
// their writes committed; new connections are refused; then the pools close.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from '../support/harness.js';
import { post } from '../support/calls.js';
import { slowFollows } from '../support/slow-follows.js';


test('closing lets requests in flight finish and commit, and refuses new connections', async () => {
  const h = await startHarness();
  try {
    const alice = await h.user('alice');
    const bob = await h.user('bob');
    // Slow follows down, so the stop arrives while they are being served.
    const follows = slowFollows(h.server.services.graph, 300);
    const inFlight = [post(alice.client, 'friendships/create', { user_id: bob.user.id.toString() }),
      post(bob.client, 'friendships/create', { user_id: alice.user.id.toString() })];
    await follows.started(2);
    const closing = h.server.close();
    const answers = await Promise.all(inFlight);
    assert.deepEqual(answers.map((u) => u.screen_name), ['bob', 'alice']);
    await closing;
    await assert.rejects(fetch(`${h.url}/1.1/account/verify_credentials.json`), 'no new connections once stopped');
    // The writes committed before the store closed: reopen the same database and look.
    const { openStore } = await import('../../src/store/open-store.js');
    const store = await openStore(h.server.services.config.db);
    try {
      assert.equal((await store.userById(alice.user.id))!.friendsCount, 1);
      assert.equal((await store.userById(bob.user.id))!.friendsCount, 1);
    } finally {
      await store.close();
    }
  } finally {
    await h.close();
  }
});
