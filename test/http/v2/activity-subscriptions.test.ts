// The Activity API's subscriptions through the wire: create, list (paged), update, delete one and
// by ids, each app seeing only its own; bad bodies answered with X's invalid-request problem and
// user contexts refused where X takes app-only bearers alone. Every reply is validated against
// X's OpenAPI document (test/support/v2.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../../../src/admin/accounts.js';
import { loadConfig } from '../../../src/config.js';
import type { Harness, TestUser } from '../../support/harness.js';
import { call, idOf, PROBLEMS, startV2Harness, type Auth } from '../../support/v2.js';
import { startReceiver, type Receiver } from '../../support/webhook-receiver.js';

let h: Harness;
let app: Auth;
let ann: TestUser;
let bob: TestUser;
let rx: Receiver;
/** two webhooks of the app, on a loopback receiver */
let hookA: string;
let hookB: string;

before(async () => {
  h = await startV2Harness({ webhooks: { ...loadConfig({}, {}).webhooks, allow: ['127.0.0.1'] } });
  app = { bearer: h.app.bearerToken! };
  ann = await h.user('ann');
  bob = await h.user('bob');
  rx = await startReceiver(() => h.app.consumerSecret);
  const hook = async (path: string) => {
    const r = await call(h, 'POST', '/2/webhooks', app, { json: { url: `${rx.url}/${path}` } });
    assert.equal(r.status, 200, r.text);
    return (r.json as { data: { id: string } }).data.id;
  };
  [hookA, hookB] = [await hook('a'), await hook('b')];
});
after(async () => {
  await h.close();
  await rx.close();
});

const create = (body: unknown, auth: Auth = app) => call(h, 'POST', '/2/activity/subscriptions', auth, { json: body });
const follows = (u: TestUser, extra: Record<string, unknown> = {}) => ({ event_type: 'follow.follow', filter: { user_id: idOf(u) }, ...extra });
const list = (query: Record<string, string> = {}, auth: Auth = app) => call(h, 'GET', '/2/activity/subscriptions', auth, { query });
const ids = async (auth: Auth = app): Promise<string[]> => ((await list({ max_results: '1000' }, auth)).json as { data: { subscription_id: string }[] }).data.map((s) => s.subscription_id);
type Sub = { subscription_id: string; tag?: string; event_type: string; filter: Record<string, string>; created_at: string; updated_at: string; webhook_id?: string };
const subOf = (r: { json: unknown }) => (r.json as { data: { subscription: Sub } }).data.subscription;

async function clear(): Promise<void> {
  const all = await ids();
  if (all.length > 0) await call(h, 'DELETE', '/2/activity/subscriptions', app, { query: { ids: all.join(',') } });
}

/** The invalid-request problem's messages. */
function messages(r: { status: number; json: unknown; headers: Headers }): string[] {
  assert.equal(r.status, 400, JSON.stringify(r.json));
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  const body = r.json as { type: string; errors: { message: string }[] };
  assert.equal(body.type, `${PROBLEMS}invalid-request`);
  return body.errors.map((e) => e.message);
}

describe('creating a subscription', () => {
  test('an app bearer subscribes to a user\'s follows; the answer carries the stored subscription', async () => {
    const r = await create(follows(ann, { tag: 'ann follows', webhook_id: hookA }));
    assert.equal(r.status, 200, r.text);
    const s = subOf(r);
    assert.match(s.subscription_id, /^[0-9]{1,19}$/);
    assert.deepEqual({ ...s, subscription_id: '', created_at: '', updated_at: '' }, {
      subscription_id: '', created_at: '', updated_at: '', event_type: 'follow.follow', filter: { user_id: idOf(ann) }, tag: 'ann follows', webhook_id: hookA,
    });
    assert.match(s.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    assert.ok((await ids()).includes(s.subscription_id));
  });

  test('a direction is kept in the filter', async () => {
    const s = subOf(await create(follows(ann, { filter: { user_id: idOf(ann), direction: 'inbound' } })));
    assert.deepEqual(s.filter, { direction: 'inbound', user_id: idOf(ann) });
  });

  test('event types X has and roost does not raise are refused with a 400, as are unknown ones', async () => {
    const [m] = messages(await create({ event_type: 'post.create', filter: { user_id: idOf(ann) } }));
    assert.match(m!, /The event_type \[post.create\] is not supported/);
    const [u] = messages(await create({ event_type: 'follow.everything', filter: { user_id: idOf(ann) } }));
    assert.match(u!, /^\$\.event_type: does not have a value in the enumeration \[/);
  });

  test('every failed check of a body is reported in one problem', async () => {
    const got = messages(await create({ filter: { user_id: 'x', direction: 'sideways' }, tag: '', colour: 'red' }));
    assert.deepEqual(got, [
      "$: property 'colour' is not defined in the schema and the schema does not allow additional properties",
      '$.event_type: is missing but it is required',
      '$.filter.user_id: does not match the regex pattern ^[0-9]{1,19}$',
      '$.filter.direction: does not have a value in the enumeration [inbound, outbound]',
      '$.tag: must be at least 1 characters long',
    ]);
    assert.deepEqual(messages(await create({ event_type: 'follow.follow' })), ['$.filter: is missing but it is required']);
    assert.deepEqual(messages(await create({ event_type: 'profile.update.bio', filter: { user_id: idOf(ann), direction: 'inbound' } })),
      ['$.filter.direction: is not supported for profile.update.bio']);
    assert.deepEqual(messages(await create(follows(ann, { tag: 'x'.repeat(201) }))), ['$.tag: may only be 200 characters long']);
    assert.deepEqual(messages(await create(follows(ann, { webhook_id: 'hook' }))), ['$.webhook_id: does not match the regex pattern ^[0-9]{1,19}$']);
    assert.deepEqual(messages(await create({ event_type: 'follow.follow', filter: { user_id: '1600000000000000001' } })),
      ['Could not find user with user_id: [1600000000000000001].']);
    const notJson = await call(h, 'POST', '/2/activity/subscriptions', app, { body: '{"event_type":' });
    assert.equal(notJson.status, 400);
  });

  test('blocks and mutes are subscribed to by their actor alone, in a user context', async () => {
    const block = { event_type: 'block.block', filter: { user_id: idOf(ann) } };
    assert.match(messages(await create(block))[0]!, /must identify the authenticated user/);
    assert.match(messages(await create(block, { user: bob }))[0]!, /must identify the authenticated user/);
    const own = await create(block, { user: ann });
    assert.equal(own.status, 200, own.text);
  });
});

describe('listing, updating and deleting', () => {
  test('pages of max_results concatenate to the whole list, with a next_token only while more remain', async () => {
    await clear();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push(subOf(await create(follows(i % 2 ? ann : bob, { tag: `t${i}` }))).subscription_id);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await list({ max_results: '2', ...(token ? { pagination_token: token } : {}) });
      assert.equal(r.status, 200, r.text);
      const body = r.json as { data: Sub[]; meta: { result_count: number; next_token?: string; total_subscriptions: number } };
      assert.equal(body.meta.total_subscriptions, 5);
      assert.equal(body.meta.result_count, body.data.length);
      seen.push(...body.data.map((s) => s.subscription_id));
      token = body.meta.next_token;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen, made);
    assert.equal((await list({ pagination_token: 'nope' })).status, 400);
    assert.equal((await list({ max_results: '0' })).status, 400);
  });

  test('an update changes the tag and the webhook and keeps the rest', async () => {
    const s = subOf(await create(follows(ann, { tag: 'before' })));
    const r = await call(h, 'PUT', `/2/activity/subscriptions/${s.subscription_id}`, app, { json: { tag: 'after', webhook_id: hookB } });
    assert.equal(r.status, 200, r.text);
    const body = r.json as { data: { subscription: Sub; total_subscriptions: number } };
    assert.deepEqual({ ...body.data.subscription, updated_at: '' }, { ...s, tag: 'after', webhook_id: hookB, updated_at: '' });
    assert.equal(body.data.total_subscriptions, (await ids()).length);
    assert.deepEqual(messages(await call(h, 'PUT', `/2/activity/subscriptions/${s.subscription_id}`, app, { json: { event_type: 'follow.unfollow' } })),
      ["$: property 'event_type' is not defined in the schema and the schema does not allow additional properties"]);
    const missing = await call(h, 'PUT', '/2/activity/subscriptions/1600000000000000001', app, { json: { tag: 'x' } });
    assert.equal(missing.status, 404);
  });

  test('delete one, then delete by ids: deleted ones leave the list, unknown ones are reported', async () => {
    const a = subOf(await create(follows(ann))).subscription_id;
    const b = subOf(await create(follows(bob))).subscription_id;
    const c = subOf(await create(follows(bob))).subscription_id;
    const one = await call(h, 'DELETE', `/2/activity/subscriptions/${a}`, app);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(one.json, { data: { deleted: true }, meta: { total_subscriptions: (await ids()).length } });
    assert.equal((await call(h, 'DELETE', `/2/activity/subscriptions/${a}`, app)).status, 404);
    const many = await call(h, 'DELETE', '/2/activity/subscriptions', app, { query: { ids: `${b},${a},${c}` } });
    assert.equal(many.status, 200, many.text);
    const body = many.json as { data: unknown[]; errors: { subscription_id: string; reason: string }[] };
    assert.deepEqual(body.data, [{ deleted: true, subscription_id: b }, { deleted: true, subscription_id: c }]);
    assert.deepEqual(body.errors.map((e) => [e.subscription_id, e.reason]), [[a, 'not_found']]);
    const left = await ids();
    for (const id of [a, b, c]) assert.ok(!left.includes(id));
  });

  test('an app sees, changes and deletes only its own subscriptions', async () => {
    const s = h.server.services;
    const other = await createApp(s.store, s.ids, s.clock, 'other app');
    const theirs: Auth = { bearer: other.bearerToken! };
    const mine = subOf(await create(follows(ann))).subscription_id;
    assert.deepEqual(await ids(theirs), []);
    assert.equal((await call(h, 'PUT', `/2/activity/subscriptions/${mine}`, theirs, { json: { tag: 'x' } })).status, 404);
    assert.equal((await call(h, 'DELETE', `/2/activity/subscriptions/${mine}`, theirs)).status, 404);
    assert.ok((await ids()).includes(mine));
  });
});

describe('who may call', () => {
  test('update, delete and the stream take app-only bearers alone; create and list take a user context too', async () => {
    const sub = subOf(await create(follows(ann))).subscription_id;
    for (const [method, path, query] of [['PUT', `/2/activity/subscriptions/${sub}`, {}], ['DELETE', `/2/activity/subscriptions/${sub}`, {}],
      ['DELETE', '/2/activity/subscriptions', { ids: sub }], ['GET', '/2/activity/stream', { end_time: '2020-01-01T00:00:00Z' }]] as const) {
      const r = await call(h, method, path, { user: ann }, method === 'PUT' ? { json: { tag: 'x' }, query } : { query });
      assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
      assert.deepEqual(r.json, {
        title: 'Unsupported Authentication',
        detail: 'Authenticating with OAuth 1.0a User Context is forbidden for this endpoint.  Supported authentication types are [OAuth 2.0 Application-Only].',
        type: `${PROBLEMS}unsupported-authentication`, status: 403,
      });
    }
    assert.equal((await list({}, { user: ann })).status, 200);
    assert.equal((await create(follows(bob), { user: ann })).status, 200);
    assert.equal((await list({}, { none: true })).status, 401);
  });
});

describe('subscriptions with a webhook', () => {
  test('the webhook kind gives one body per matching subscription of that webhook, as the stream renders it', async () => {
    const { activityWebhookKind } = await import('../../../src/wire/v2/activity-webhook-kind.js');
    const s = h.server.services;
    const carl = await h.user('whcarl');
    await create({ event_type: 'follow.follow', filter: { user_id: idOf(carl), direction: 'inbound' }, tag: 'hooked', webhook_id: hookA });
    await create({ event_type: 'follow.follow', filter: { user_id: idOf(carl) }, tag: 'other hook', webhook_id: hookB });
    await create({ event_type: 'follow.follow', filter: { user_id: idOf(carl) }, tag: 'no hook' });
    // A row of another app naming this app's webhook (stored before webhook ids were checked) is never sent to it.
    const stranger = await createApp(s.store, s.ids, s.clock, 'stranger app');
    const now = s.clock.now();
    await s.activity.insert({ id: s.ids.next(), appId: stranger.id, eventType: 'follow.follow', userId: carl.user.id, direction: null, tag: 'stranger', webhookId: BigInt(hookA), createdAt: now, updatedAt: now }, 1000);
    const kind = activityWebhookKind(s.activity, (ids) => s.store.usersByIds(ids), () => ({ http: h.url, https: h.url }));
    const head = await s.store.events.headSeq();
    await bob.client.v2.follow(idOf(bob), idOf(carl));
    const [event] = await s.store.events.eventsAfter(head, 10);
    assert.equal(event?.type, 'follow.follow');
    const [made] = await kind.bodiesFor(BigInt(hookA), [event!]);
    const bodies = made!.map((b) => [(b.body as { data: { tag: string; payload: { source: { id: string } } } }).data, b.lane] as const);
    const hooked = (await s.activity.list(h.app.id, 0n, 1000)).find((x) => x.tag === 'hooked')!;
    assert.deepEqual(bodies.map(([d, lane]) => [d.tag, d.payload.source.id, lane]), [['hooked', idOf(bob), `subscription:${hooked.id}`]]);
    assert.deepEqual(await kind.bodiesFor(9999n, [event!]), [[]]);
  });

  test('a webhook_id must name one of the app\'s own webhooks, on create and on update', async () => {
    const absent = '1600000000000000001';
    assert.deepEqual(messages(await create(follows(ann, { webhook_id: absent }))), [`Could not find webhook with webhook_id: [${absent}] for this app.`]);
    const s = h.server.services;
    const other = await createApp(s.store, s.ids, s.clock, 'hookless app');
    const theirs: Auth = { bearer: other.bearerToken! };
    // Another app naming this app's webhook would have its events signed with this app's secret.
    assert.deepEqual(messages(await create(follows(ann, { webhook_id: hookA }), theirs)), [`Could not find webhook with webhook_id: [${hookA}] for this app.`]);
    const own = subOf(await create(follows(ann), theirs));
    assert.deepEqual(messages(await call(h, 'PUT', `/2/activity/subscriptions/${own.subscription_id}`, theirs, { json: { webhook_id: hookB } })),
      [`Could not find webhook with webhook_id: [${hookB}] for this app.`]);
    assert.equal(subOf(await create(follows(ann, { webhook_id: hookB }))).webhook_id, hookB);
  });
});
