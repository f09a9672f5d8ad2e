// While the server stops, a request that still reaches it (here: one whose head was arriving
// when the stop began) is answered 503 in Twitter's format and its connection closed, while the
// request in flight finishes normally.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from '../support/harness.js';
import { post } from '../support/calls.js';
import { parseAnswer, rawConnection } from '../support/raw-socket.js';
import { sleep, slowFollows } from '../support/slow-follows.js';


test('a request arriving during the stop gets 503 (v1.1: 130 Over capacity; v2: a problem)', async () => {
  const h = await startHarness();
  try {
    const alice = await h.user('alice');
    const bob = await h.user('bob');
    const follows = slowFollows(h.server.services.graph, 400);
    const inFlight = post(alice.client, 'friendships/create', { user_id: bob.user.id.toString() });
    const v1 = await rawConnection(h.url);
    const v2 = await rawConnection(h.url);
    v1.write('GET /1.1/account/verify_credentials.json HTTP/1.1\r\nHost: roost\r\n');
    v2.write(`GET /2/users/${alice.user.id} HTTP/1.1\r\nHost: roost\r\n`);
    await follows.started(1);
    const closing = h.server.close();
    await sleep(50);
    v1.write('\r\n');
    v2.write('\r\n');
    const [a1, a2] = (await Promise.all([v1.closed, v2.closed])).map(parseAnswer);
    assert.equal(a1!.status, 503);
    assert.equal(a1!.headers.get('connection'), 'close');
    assert.deepEqual(JSON.parse(a1!.body), { errors: [{ code: 130, message: 'Over capacity' }] });
    assert.equal(a2!.status, 503);
    assert.equal(a2!.headers.get('content-type'), 'application/problem+json');
    assert.deepEqual(JSON.parse(a2!.body), { title: 'Service Unavailable', type: 'about:blank', status: 503, detail: 'Service Unavailable' });
    assert.equal((await inFlight).screen_name, 'bob', 'the request in flight still finishes');
    await closing;
  } finally {
    await h.close();
  }
});
