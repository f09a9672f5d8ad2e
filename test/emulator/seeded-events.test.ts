// `bin/roost serve --emulator --seed N` as a user runs it: on a fresh database each time, the
// same writes through a real client raise events with the same event_uuid and the same times,
// read where an app reads them (the Activity stream's backfill, Account Activity webhook bodies).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { TwitterApi } from 'twitter-api-v2';
import { snowflakeTime } from '../../src/graph/snowflake.js';
import { openActivityStream } from '../support/activity-stream.js';
import { redirectPlugin } from '../support/harness.js';
import { startReceiver } from '../support/webhook-receiver.js';

const BIN = new URL('../../bin/roost', import.meta.url).pathname;
const FIXTURE = 'apps:\n  demo: {}\nusers:\n  alice: { name: Alice }\n  bob: { name: Bob }\ntokens:\n  alice: { app: demo }\n  bob: { app: demo }\n';
const START = Date.parse('2025-01-01T00:00:00.000Z');

interface Ready {
  url: string;
  admin_token: string;
  apps: Record<string, { consumer_key: string; consumer_secret: string; bearer_token: string }>;
  users: Record<string, { id_str: string }>;
  tokens: Record<string, { oauth_token: string; oauth_token_secret: string }>;
}

interface Observed {
  /** `type uuid` of each event on the stream, in order */
  stream: string[];
  /** `type created_timestamp` of each Account Activity body */
  webhook: string[];
}

/** One run: a fresh emulator process on a new database file, the same writes, the events as an app sees them. */
async function run(seed: number): Promise<Observed> {
  const dir = mkdtempSync(join(tmpdir(), 'roost-seeded-events-'));
  writeFileSync(join(dir, 'fixture.yaml'), FIXTURE);
  const env: NodeJS.ProcessEnv = { ...process.env, ROOST_LOG_LEVEL: 'warn' };
  delete env.REDIS_URL;
  const child = spawn(process.execPath, [BIN, 'serve', '--emulator', '--seed', String(seed), '--db', join(dir, 'roost.db'),
    '--fixture', join(dir, 'fixture.yaml'), '--port', '0', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d; });
  const exited = once(child, 'exit');
  const agent = new Agent({ keepAlive: true });
  let secret = '';
  const rx = await startReceiver(() => secret);
  try {
    const [line] = await Promise.race([
      once(createInterface({ input: child.stdout }), 'line') as Promise<[string]>,
      exited.then(([code]) => Promise.reject(new Error(`serve exited ${code}: ${stderr}`))),
    ]);
    const ready = JSON.parse(line) as Ready;
    const demo = ready.apps.demo!;
    secret = demo.consumer_secret;
    const settings = { plugins: [redirectPlugin(ready.url)], httpAgent: agent };
    const app = new TwitterApi(demo.bearer_token, settings);
    const alice = new TwitterApi({
      appKey: demo.consumer_key, appSecret: demo.consumer_secret,
      accessToken: ready.tokens.alice!.oauth_token, accessSecret: ready.tokens.alice!.oauth_token_secret,
    }, settings);
    const aliceId = ready.users.alice!.id_str;
    const bobId = ready.users.bob!.id_str;
    const advance = async (ms: number) => {
      const res = await fetch(`${ready.url}/_roost/clock`, {
        method: 'POST', headers: { authorization: `Bearer ${ready.admin_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ advance_ms: ms }),
      });
      assert.equal(res.status, 200, await res.text());
    };

    for (const event_type of ['follow.follow', 'follow.unfollow', 'profile.update.bio']) {
      await app.v2.post('activity/subscriptions', { event_type, filter: { user_id: aliceId } });
    }
    const hook: any = await app.v2.post('webhooks', { url: rx.url });
    await alice.v2.post(`account_activity/webhooks/${hook.data.id}/subscriptions/all`, {});

    await alice.v2.follow(aliceId, bobId);
    await advance(1500);
    await alice.v2.unfollow(aliceId, bobId);
    await advance(2250);
    await alice.v1.updateAccountProfile({ description: 'seeded' });

    const stream = await openActivityStream(ready.url, demo.bearer_token, { backfill_minutes: '5' });
    const lines = [];
    try {
      assert.equal(stream.status, 200);
      for (let i = 0; i < 3; i++) lines.push(await stream.next(5000));
    } finally {
      stream.close();
    }
    const bodies = await rx.waitFor(2, 10_000);
    return {
      stream: lines.map((l) => `${l?.data.event_type} ${l?.data.event_uuid}`),
      webhook: bodies.map((b) => `${b.body.follow_events[0].type} ${b.body.follow_events[0].created_timestamp}`),
    };
  } finally {
    agent.destroy();
    await rx.close();
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const msOf = (uuid: string) => snowflakeTime(BigInt(uuid));

test('serve --emulator --seed: two fresh runs raise the same event_uuids at the same times; another seed other uuids', async () => {
  const first = await run(7);
  const uuids = first.stream.map((s) => s.split(' ')[1]!);
  assert.deepEqual(first.stream.map((s) => s.split(' ')[0]), ['follow.follow', 'follow.unfollow', 'profile.update.bio']);
  // Stamped by the emulator's frozen clock, as the test moved it: 2025-01-01T00:00:00Z, +1.5 s, +3.75 s.
  assert.deepEqual(uuids.map(msOf), [START, START + 1500, START + 3750]);
  assert.deepEqual(first.webhook, [`follow ${START}`, `unfollow ${START + 1500}`]);

  assert.deepEqual(await run(7), first, 'the same seed: the same event_uuids and created_timestamps');

  const other = await run(8);
  assert.deepEqual(other.webhook, first.webhook, 'times come from the clock, whatever the seed');
  const otherUuids = other.stream.map((s) => s.split(' ')[1]!);
  for (let i = 0; i < uuids.length; i++) assert.notEqual(otherUuids[i], uuids[i], `event ${i} carries the seed in its worker bits`);
  assert.deepEqual(otherUuids.map(msOf), uuids.map(msOf));
});
