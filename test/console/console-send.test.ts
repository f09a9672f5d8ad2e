// The request builder's send route against an emulator: v2 writes carry a JSON body (outside
// the OAuth 1.0a base string), OAuth 2.0 and bearer credentials sign as the endpoint allows, PUT
// and DELETE go through, and the curl it answers replays the request as sent.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { fixtureYaml, startEmulator, type EmulatorHarness } from '../support/emulator.js';
import { openEventStream } from '../support/event-stream.js';
import { startReceiver } from '../support/webhook-receiver.js';

const FIXTURE = fixtureYaml({ users: ['alice', 'bob', 'carol'], tokens: { alice: '{ app: demo, token: 1-alice, secret: as }' } });

let h: EmulatorHarness;
before(async () => { h = await startEmulator(FIXTURE); });
after(() => h.close());

interface Sent { status: number; body: string; curl: string }
async function send(req: Record<string, unknown>): Promise<Sent & { json: any }> {
  const r = await h.admin('POST', 'send', req);
  assert.equal(r.status, 200, r.text);
  return { ...r.json, json: JSON.parse(r.json.body) };
}
const idOf = (name: string) => h.server.emulator!.loaded.users.get(name)!.id.toString();
const following = async () => ((await h.client('alice').v2.following(idOf('alice'))).data ?? []).map((u) => u.username);

test('the endpoint table lists each v2 write\'s JSON body members and the credentials it takes', async () => {
  const { endpoints } = (await h.admin('GET', 'endpoints')).json;
  const find = (m: string, p: string) => endpoints.find((e: any) => e.method === m && e.path === p);
  assert.deepEqual(find('POST', '/2/users/:id/following').body, ['target_user_id']);
  assert.deepEqual(find('POST', '/2/users/:id/following').auth, ['oauth1', 'oauth2-user']);
  assert.deepEqual(find('PUT', '/2/activity/subscriptions/:subscription_id').body, ['tag', 'webhook_id']);
  assert.deepEqual(find('PUT', '/2/activity/subscriptions/:subscription_id').auth, ['app-only']);
  assert.deepEqual(find('GET', '/1.1/friends/ids.json').body, []);
});

test('a v2 follow sent as OAuth 1.0a makes the edge; unfollowed as OAuth 2.0; the curl follows again', async () => {
  const path = `/2/users/${idOf('alice')}/following`;
  const follow = await send({ credential: 'alice', method: 'POST', path, json: { target_user_id: idOf('carol') } });
  assert.equal(follow.status, 200, follow.body);
  assert.deepEqual(follow.json.data, { following: true, pending_follow: false });
  assert.deepEqual(await following(), ['carol']);
  assert.match(follow.curl, /-H 'Content-Type: application\/json' --data '\{"target_user_id":"\d+"\}'/);

  const unfollow = await send({ credential: 'oauth2:alice', method: 'DELETE', path: `${path}/${idOf('carol')}`, scopes: ['follows.write', 'tweet.read', 'users.read'] });
  assert.equal(unfollow.status, 200, unfollow.body);
  assert.deepEqual(unfollow.json.data, { following: false });
  assert.deepEqual(await following(), []);

  // The curl carries its own nonce, unused so far: pasted into a shell it follows again.
  const { stdout } = await promisify(execFile)('sh', ['-c', follow.curl]);
  assert.deepEqual(JSON.parse(stdout).data, { following: true, pending_follow: false });
  assert.deepEqual(await following(), ['carol']);
});

test('an OAuth 2.0 token minted without the endpoint\'s scope is refused', async () => {
  const r = await send({ credential: 'oauth2:alice', method: 'POST', path: `/2/users/${idOf('alice')}/following`, scopes: ['users.read'], json: { target_user_id: idOf('bob') } });
  assert.equal(r.status, 403, r.body);
  assert.equal((await h.admin('POST', 'send', { credential: 'oauth2:alice', method: 'GET', path: '/2/users/me', scopes: ['nope'] })).status, 400);
});

test('PUT and DELETE: a subscription is created, renamed and removed with JSON bodies under the app\'s bearer', async () => {
  const rx = await startReceiver(() => 'cs');
  try {
    const hook = await send({ credential: 'app:demo', method: 'POST', path: '/2/webhooks', json: { url: rx.url } });
    assert.equal(hook.status, 200, hook.body);
    const webhookId = hook.json.data.id;
    const made = await send({ credential: 'alice', method: 'POST', path: '/2/activity/subscriptions',
      json: { event_type: 'follow.follow', filter: { user_id: idOf('alice') }, webhook_id: webhookId, tag: 'first' } });
    assert.equal(made.status, 200, made.body);
    const sub = made.json.data.subscription.subscription_id;
    const put = await send({ credential: 'app:demo', method: 'PUT', path: `/2/activity/subscriptions/${sub}`, json: { tag: 'renamed' } });
    assert.equal(put.status, 200, put.body);
    const listed = await send({ credential: 'app:demo', method: 'GET', path: '/2/activity/subscriptions' });
    assert.deepEqual(listed.json.data.map((s: any) => [s.subscription_id, s.tag]), [[sub, 'renamed']]);
    const gone = await send({ credential: 'app:demo', method: 'DELETE', path: `/2/activity/subscriptions/${sub}` });
    assert.equal(gone.status, 200, gone.body);
    assert.deepEqual((await send({ credential: 'app:demo', method: 'GET', path: '/2/activity/subscriptions' })).json.data, []);
  } finally {
    await rx.close();
  }
});

test('the live log keeps a JSON request body as it was sent, with its content type', async () => {
  const stream = await openEventStream(`${h.url}/_roost/requests/stream`);
  try {
    await stream.event('backlog');
    await h.client('alice').v2.follow(idOf('alice'), idOf('bob'));
    const row = await stream.event('request');
    const r = (await h.admin('GET', `requests/captured/${row.seq}`)).json;
    assert.equal(r.route, '/2/users/:id/following');
    assert.deepEqual(JSON.parse(r.body), { target_user_id: idOf('bob') });
    assert.match(r.requestHeaders['content-type'], /^application\/json/);
    assert.equal(r.query, '');
  } finally {
    stream.close();
  }
});
