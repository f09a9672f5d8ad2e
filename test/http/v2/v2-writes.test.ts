// v2 writes (§7.3-7.4, §8.2-8.3, §8.5-8.6): follow outcomes (public, protected, repeated,
// refused), unfollow/unblock/unmute idempotence, counts moving with the edges, the blocking and
// muting lists, body and path validation, and the recorded replies. Every reply is validated
// against the OpenAPI document (block writes against the contract's shape: see openapi.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Harness, TestUser } from '../../support/harness.js';
import { catalogueBody } from '../../support/openapi.js';
import { assertShape, recordedBodies } from '../../support/recorded.js';
import { assertExact, call, failure, idOf, invalid, notCaller, partial, startV2Harness, text } from '../../support/v2.js';

let h: Harness;
let n = 0;
const UNKNOWN = '1600000000000000001';
const FOLLOWING = '{"data":{"following":true,"pending_follow":false}}';
const PENDING = '{"data":{"following":false,"pending_follow":true}}';
const REFUSED = () => catalogueBody('403 — refused action');

before(async () => {
  h = await startV2Harness();
});
after(() => h.close());

const fresh = (base: string, input: { protected?: boolean } = {}): Promise<TestUser> => h.user(`${base}${++n}`, input);
const follow = (a: TestUser, b: TestUser | string) =>
  call(h, 'POST', `/2/users/${idOf(a)}/following`, { user: a }, { json: { target_user_id: typeof b === 'string' ? b : idOf(b) } });
const post = (a: TestUser, what: 'blocking' | 'muting', b: TestUser | string) =>
  call(h, 'POST', `/2/users/${idOf(a)}/${what}`, { user: a }, { json: { target_user_id: typeof b === 'string' ? b : idOf(b) } });
const del = (a: TestUser, what: 'following' | 'blocking' | 'muting', b: TestUser | string) =>
  call(h, 'DELETE', `/2/users/${idOf(a)}/${what}/${typeof b === 'string' ? b : idOf(b)}`, { user: a });

async function metrics(u: TestUser): Promise<{ followers: number; following: number }> {
  const { data } = await u.client.v2.me({ 'user.fields': 'public_metrics' });
  return { followers: data.public_metrics!.followers_count!, following: data.public_metrics!.following_count! };
}

async function status(viewer: TestUser, other: TestUser): Promise<string[]> {
  return (await viewer.client.v2.user(idOf(other), { 'user.fields': 'connection_status' })).data.connection_status ?? [];
}

describe('follow', () => {
  test('a public account: followed at once; a repeat changes nothing; counts move once', async () => {
    const a = await fresh('a'), b = await fresh('b');
    const r = await follow(a, b);
    assertExact(r, 200, FOLLOWING);
    assertShape(r.json, recordedBodies('test_client_follow_and_unfollow_user', 'POST', '/2/users/'), { label: 'follow' });
    assert.equal(r.headers.get('x-access-level'), 'read-write-directmessages');
    assertExact(await follow(a, b), 200, FOLLOWING);
    assert.deepEqual(await metrics(a), { followers: 0, following: 1 });
    assert.deepEqual(await metrics(b), { followers: 1, following: 0 });
    assert.deepEqual(await status(a, b), ['following']);
  });

  test('a protected account: pending_follow; a repeat is still pending; accepted, it is a follow', async () => {
    const a = await fresh('a'), p = await fresh('p', { protected: true });
    assertExact(await follow(a, p), 200, PENDING);
    assertExact(await follow(a, p), 200, PENDING);
    assert.deepEqual(await status(a, p), ['follow_request_sent']);
    assert.deepEqual(await metrics(p), { followers: 0, following: 0 }, 'a request is not a follow');
    await h.server.services.graph.accept({ userId: p.user.id, appId: h.app.id }, a.user.id);
    assertExact(await follow(a, p), 200, FOLLOWING);
    assert.deepEqual(await metrics(p), { followers: 1, following: 0 });
  });

  test('the client library call (JSON body with charset) gives the same answers', async () => {
    const a = await fresh('a'), b = await fresh('b'), p = await fresh('p', { protected: true });
    assert.equal(text(await a.client.v2.follow(idOf(a), idOf(b))), FOLLOWING);
    assert.equal(text(await a.client.v2.follow(idOf(a), idOf(p))), PENDING);
  });

  test('refused: the target blocks the caller, or the caller blocks the target (403, block kept)', async () => {
    const a = await fresh('a'), b = await fresh('b'), c = await fresh('c');
    await post(b, 'blocking', a);
    assertExact(await follow(a, b), 403, REFUSED());
    await post(a, 'blocking', c);
    assertExact(await follow(a, c), 403, REFUSED());
    assert.deepEqual(await status(a, c), ['blocking'], 'v2 does not lift the block');
    const e = await failure(a.client.v2.follow(idOf(a), idOf(c)), 403);
    assert.equal(text(e.data), REFUSED());
  });

  test('unknown or suspended target: 200 with only the partial error (parameter target_user_id)', async () => {
    const a = await fresh('a'), s = await fresh('s');
    await h.server.services.graph.setState(s.user.id, 'suspended');
    assertExact(await follow(a, UNKNOWN), 200, text({ errors: [partial('not-found', 'target_user_id', UNKNOWN)] }));
    assertExact(await follow(a, s), 200, text({ errors: [partial('suspended', 'target_user_id', idOf(s))] }));
    assertExact(await post(a, 'muting', UNKNOWN), 200, text({ errors: [partial('not-found', 'target_user_id', UNKNOWN)] }));
    assertExact(await post(a, 'blocking', UNKNOWN), 200, text({ errors: [partial('not-found', 'target_user_id', UNKNOWN)] }));
  });

  test('oneself, a bad body or another user\'s path id: 400 invalid-request', async () => {
    const a = await fresh('a'), b = await fresh('b');
    const self = invalid({ parameters: { target_user_id: [idOf(a)] }, message: `The \`target_user_id\` query parameter value [${idOf(a)}] is not valid` });
    assertExact(await follow(a, a), 400, self);
    assertExact(await post(a, 'blocking', a), 400, self);
    assertExact(await post(a, 'muting', a), 400, self);
    const path = `/2/users/${idOf(a)}/following`;
    assertExact(await call(h, 'POST', path, { user: a }), 400,
      invalid({ parameters: { target_user_id: [] }, message: '$.target_user_id: is missing but it is required' }));
    assertExact(await call(h, 'POST', path, { user: a }, { json: { target_user_id: 12 } }), 400,
      invalid({ parameters: { target_user_id: ['12'] }, message: 'The `target_user_id` query parameter value [12] is not valid' }));
    assertExact(await call(h, 'POST', path, { user: a }, { body: '{"target_user_id":' }), 400,
      invalid({ parameters: {}, message: 'The request body is not valid JSON' }));
    for (const what of ['following', 'blocking', 'muting']) {
      const r = await call(h, 'POST', `/2/users/${idOf(b)}/${what}`, { user: a }, { json: { target_user_id: idOf(b) } });
      assertExact(r, 400, invalid(notCaller('id', idOf(b), idOf(a))));
      const d = await call(h, 'DELETE', `/2/users/${idOf(b)}/${what}/${idOf(a)}`, { user: a });
      assertExact(d, 400, invalid(notCaller('source_user_id', idOf(b), idOf(a))));
    }
    assertExact(await del(a, 'following', 'abc'), 400,
      invalid({ parameters: { target_user_id: ['abc'] }, message: 'The `target_user_id` query parameter value [abc] is not valid' }));
  });

  test('a target id outside 1..2^63-1 is the same 400 as on every other route, never a 500', async () => {
    const a = await fresh('a');
    for (const bad of ['9223372036854775808', '9999999999999999999', '0']) {
      const problem = invalid({ parameters: { target_user_id: [bad] }, message: `The \`target_user_id\` query parameter value [${bad}] is not valid` });
      assertExact(await follow(a, bad), 400, problem);
      assertExact(await post(a, 'blocking', bad), 400, problem);
      assertExact(await post(a, 'muting', bad), 400, problem);
      assertExact(await del(a, 'following', bad), 400, problem);
    }
  });
});

describe('unfollow', () => {
  test('removes the follow, counts drop; a repeat, a stranger and an unknown id answer the same', async () => {
    const a = await fresh('a'), b = await fresh('b'), c = await fresh('c');
    await follow(a, b);
    const r = await del(a, 'following', b);
    assertExact(r, 200, '{"data":{"following":false}}');
    assertShape(r.json, recordedBodies('test_client_follow_and_unfollow_user', 'DELETE', '/2/users/'), { label: 'unfollow' });
    assert.deepEqual(await metrics(b), { followers: 0, following: 0 });
    assert.deepEqual(await metrics(a), { followers: 0, following: 0 });
    for (const target of [b, c, UNKNOWN]) assertExact(await del(a, 'following', target), 200, '{"data":{"following":false}}');
    assert.equal(text(await a.client.v2.unfollow(idOf(a), idOf(b))), '{"data":{"following":false}}');
  });

  test('withdraws a pending request', async () => {
    const a = await fresh('a'), p = await fresh('p', { protected: true });
    await follow(a, p);
    assertExact(await del(a, 'following', p), 200, '{"data":{"following":false}}');
    assert.deepEqual(await status(a, p), []);
    assertExact(await follow(a, p), 200, PENDING);
  });
});

describe('block', () => {
  test('blocking removes follows both ways and moves the counts; listed; idempotent both ways', async () => {
    const a = await fresh('a'), b = await fresh('b');
    await follow(a, b);
    await follow(b, a);
    assert.deepEqual(await metrics(a), { followers: 1, following: 1 });
    assertExact(await post(a, 'blocking', b), 200, '{"data":{"blocking":true}}');
    assertExact(await post(a, 'blocking', b), 200, '{"data":{"blocking":true}}');
    assert.deepEqual(await metrics(a), { followers: 0, following: 0 });
    assert.deepEqual(await metrics(b), { followers: 0, following: 0 });
    assert.deepEqual(await status(a, b), ['blocking']);
    const list = await a.client.v2.userBlockingUsers(idOf(a));
    assert.deepEqual(list.data.data.map((u) => u.id), [idOf(b)]);
    assertExact(await del(a, 'blocking', b), 200, '{"data":{"blocking":false}}');
    assertExact(await del(a, 'blocking', b), 200, '{"data":{"blocking":false}}');
    assert.deepEqual(await status(a, b), [], 'unblocking restores nothing');
    assertExact(await call(h, 'GET', `/2/users/${idOf(a)}/blocking`, { user: a }), 200, '{"meta":{"result_count":0}}');
  });

  test('a blocked user is refused a follow until the block is lifted', async () => {
    const a = await fresh('a'), b = await fresh('b');
    assert.equal(text(await a.client.v2.block(idOf(a), idOf(b))), '{"data":{"blocking":true}}');
    assertExact(await follow(b, a), 403, REFUSED());
    assert.equal(text(await a.client.v2.unblock(idOf(a), idOf(b))), '{"data":{"blocking":false}}');
    assertExact(await follow(b, a), 200, FOLLOWING);
  });
});

describe('mute', () => {
  test('muting: listed, idempotent, counts untouched; unmuting twice answers the same', async () => {
    const a = await fresh('a'), b = await fresh('b');
    await follow(a, b);
    const r = await post(a, 'muting', b);
    assertExact(r, 200, '{"data":{"muting":true}}');
    assertShape(r.json, recordedBodies('test_client_mute_get_muted_and_unmute', 'POST', '/2/users/'), { label: 'mute' });
    assertExact(await post(a, 'muting', b), 200, '{"data":{"muting":true}}');
    assert.deepEqual(await status(a, b), ['following', 'muting']);
    assert.deepEqual(await metrics(a), { followers: 0, following: 1 });
    const list = await call(h, 'GET', `/2/users/${idOf(a)}/muting`, { user: a });
    assert.equal(text(list.json), text({ data: [{ id: idOf(b), name: b.user.name, username: b.user.screenName }], meta: { result_count: 1 } }));
    const u = await del(a, 'muting', b);
    assertExact(u, 200, '{"data":{"muting":false}}');
    assertShape(u.json, recordedBodies('test_client_mute_get_muted_and_unmute', 'DELETE', '/2/users/'), { label: 'unmute' });
    assertExact(await del(a, 'muting', b), 200, '{"data":{"muting":false}}');
    assertExact(await del(a, 'muting', UNKNOWN), 200, '{"data":{"muting":false}}');
    assert.equal(text(await a.client.v2.mute(idOf(a), idOf(b))), '{"data":{"muting":true}}');
    assert.equal(text(await a.client.v2.unmute(idOf(a), idOf(b))), '{"data":{"muting":false}}');
  });
});
