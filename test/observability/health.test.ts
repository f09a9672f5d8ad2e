// Liveness and readiness with the version; readiness fails when the database does; and an
// internal failure (the database gone) never shows a stack trace or internals in any body.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Store } from '../../src/store/types.js';
import { startHarness, type Harness } from '../support/harness.js';
import { raw } from '../support/raw.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** The database goes away under the running server (its store closed); the server's own stop then skips it. */
async function loseDatabase(h: Harness): Promise<void> {
  const services = h.server.services;
  const store = services.store;
  await store.close();
  services.store = Object.create(store, { close: { value: async () => {} } }) as Store;
}

test('live and ready answer 200 with the version; ready turns 503 when the database is gone', async () => {
  const h = await startHarness();
  try {
    const live = await fetch(`${h.url}/health/live`);
    assert.equal(live.status, 200);
    assert.deepEqual(await live.json(), { status: 'ok', version });
    const ready = await fetch(`${h.url}/health/ready`);
    assert.equal(ready.status, 200);
    const body = await ready.json() as { status: string; version: string; checks: Record<string, string> };
    assert.equal(body.status, 'ok');
    assert.equal(body.version, version);
    assert.equal(body.checks.database, 'ok');
    if (h.server.services.redis) assert.equal(body.checks.redis, 'ok');

    await loseDatabase(h);
    const down = await fetch(`${h.url}/health/ready`);
    assert.equal(down.status, 503);
    assert.deepEqual(await down.json(), { status: 'unavailable', version, checks: { database: 'down', ...(h.server.services.redis ? { redis: 'ok' } : {}) } });
    assert.equal((await fetch(`${h.url}/health/live`)).status, 200, 'the process itself still answers');
  } finally {
    await h.close();
  }
});

test('with the database gone, every kind of endpoint fails cleanly: no stack, no internals', async () => {
  const h = await startHarness();
  try {
    const alice = await h.user('alice');
    await h.user('bob');
    await loseDatabase(h);
    const answers = [
      await raw(h, 'GET', '/1.1/users/show.json', { user: alice }, { query: { screen_name: 'bob' } }),
      await raw(h, 'GET', '/1.1/users/show.json', { bearer: h.app.bearerToken! }, { query: { screen_name: 'bob' } }),
      await raw(h, 'POST', '/1.1/friendships/create.json', { user: alice }, { form: { screen_name: 'bob' } }),
      await raw(h, 'GET', `/2/users/${alice.user.id}`, { user: alice }),
      await raw(h, 'POST', '/oauth2/token', { none: true }, { form: { grant_type: 'client_credentials' } }),
    ];
    const signIn = await fetch(`${h.url}/i/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'screen_name=alice&password=x',
    });
    const bodies = [...answers.map((r) => ({ status: r.status, text: r.text })), { status: signIn.status, text: await signIn.text() }];
    assert.ok(bodies.some((b) => b.status === 500), JSON.stringify(bodies));
    for (const b of bodies) {
      assert.doesNotMatch(b.text, /\bat .+:\d+:\d+|node_modules|\.ts\b|\.js\b|Error:|sqlite|SQL|database|stack/i, b.text);
    }
    assert.deepEqual(JSON.parse(answers[0]!.text), { errors: [{ code: 131, message: 'Internal error' }] });
    assert.equal(JSON.parse(answers[3]!.text).title, 'Internal Server Error');
  } finally {
    await h.close();
  }
});
