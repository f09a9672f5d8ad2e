// GET /_roost/changes: what changed, told to the console's open pages. Each kind arrives after
// the write that makes it (a follow through the API, a fault added and hit, the clock moved,
// counted requests, a reset); with no page connected, nothing listens for commits or changes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixtureYaml, startEmulator, type EmulatorHarness } from '../support/emulator.js';
import { openEventStream, type EventStream } from '../support/event-stream.js';

const FIXTURE = fixtureYaml({ users: ['alice', 'bob', 'carol', 'dave'], tokens: { alice: '{ app: demo }' } });

let h: EmulatorHarness;
/** Listeners on the commit feed of the services as they were at the start (a reset builds new ones). */
let listening = 0;
let registered = 0;
before(async () => {
  h = await startEmulator(FIXTURE);
  const feed = h.server.services.events.feed;
  const onCommitted = feed.onCommitted.bind(feed);
  feed.onCommitted = (listener) => {
    registered++;
    listening++;
    const off = onCommitted(listener);
    return () => { listening--; off(); };
  };
});
after(() => h.close());

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; !ok(); i++) {
    if (i > 200) assert.fail(`never: ${what}`);
    await sleep(10);
  }
}

const emulator = () => h.server.emulator!;
const id = (name: string) => emulator().loaded.users.get(name)!.id.toString();
const follow = (target: string) => h.client('alice').v2.follow(id('alice'), id(target));
const counted = () => h.client('alice').v2.get('users/by/username/bob');
const unwatched = () => !emulator().clock.changed.watched && !emulator().faultsChanged.watched && !emulator().stateChanged.watched;

test('with no page connected, a write registers nothing: no commit listener, no watcher of the clock or faults', async () => {
  await follow('bob');
  await counted();
  await h.admin('POST', 'clock', { advance_seconds: 1 });
  assert.equal(registered, 0);
  assert.ok(unwatched());
  assert.equal((await fetch(`${h.url}/_roost/changes`)).status, 401);
});

test('each change reaches an open page as its kind, and the last page to leave stops the listening', { timeout: 20_000 }, async () => {
  const stream: EventStream = await openEventStream(`${h.url}/_roost/changes`);
  assert.equal(stream.status, 200);
  assert.match(stream.contentType!, /^text\/event-stream/);
  try {
    assert.equal(listening, 1);
    await counted();
    await stream.event('usage');

    await h.admin('POST', 'clock', { advance_seconds: 60 });
    await stream.event('clock');

    const added = await h.admin('POST', 'faults', { method: 'GET', path: '/2/users/by/username/*', action: 503, times: 1 });
    assert.equal(added.status, 201);
    await stream.event('faults');
    await stream.drain(300);
    await assert.rejects(counted(), (err: any) => err.code === 503);
    await stream.event('faults');

    await stream.drain(300);
    await follow('carol');
    await stream.event('graph');

    // A reset builds new services: the page is told, and commits are followed on the new feed.
    await stream.drain(300);
    assert.equal((await h.admin('POST', 'reset')).status, 200);
    await stream.event('state');
    await stream.drain(300);
    await follow('dave');
    await stream.event('graph');
  } finally {
    stream.close();
  }
  await until('the server sees the page leave', unwatched);
  assert.equal(listening, 0);
});

test('usage is told at most once a second, however many requests', { timeout: 20_000 }, async () => {
  const stream = await openEventStream(`${h.url}/_roost/changes`);
  try {
    await stream.drain(1100);
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, counted));
    await stream.event('usage');
    await counted();
    await stream.event('usage');
    assert.ok(Date.now() - started >= 900, `two usage messages ${Date.now() - started} ms apart`);
  } finally {
    stream.close();
  }
});
