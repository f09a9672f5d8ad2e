// Bulk tests drive bin/roost as a child process, read back what it stored through the bulk
// port, and check that a real server serves it.
import { execFile } from 'node:child_process';
import { Agent } from 'node:http';
import { promisify } from 'node:util';
import { TwitterApi } from 'twitter-api-v2';
import { createApp, createToken } from '../../src/admin/accounts.js';
import { openTarget } from '../../src/store/bulk/open-target.js';
import type { EdgeRecord } from '../../src/store/bulk/bulk-target.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import type { UserRow } from '../../src/store/types.js';
import { redirectPlugin } from '../support/harness.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/roost', import.meta.url).pathname;

export async function roost(db: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [BIN, ...args, '--db', db], { maxBuffer: 64 << 20 });
}

export async function roostFails(db: string, ...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await roost(db, ...args);
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error(`roost ${args.join(' ')} succeeded`);
}

export interface StoredGraph {
  users: UserRow[];
  follows: EdgeRecord[];
}

/** Everything a database holds of the graph, follows oldest first. */
export async function readGraph(db: string): Promise<StoredGraph> {
  const target = await openTarget(db);
  try {
    const users: UserRow[] = [];
    for await (const u of target.users()) users.push(u);
    const follows: EdgeRecord[] = [];
    for await (const batch of target.follows()) follows.push(...batch);
    return { users, follows };
  } finally {
    await target.close();
  }
}

export interface Served {
  app: TwitterApi;
  as(user: UserRow): Promise<TwitterApi>;
  close(): Promise<void>;
}

/** A server on the database, an app-only client, and user clients on demand. */
export async function serve(db: string): Promise<Served> {
  const server = await startServer(loadConfig({ port: 0, host: '127.0.0.1', db, redisUrl: null, rateLimits: false }, {}));
  const s = server.services;
  const app = await createApp(s.store, s.ids, s.clock, 'bulk test');
  const settings = { plugins: [redirectPlugin(server.url)], httpAgent: new Agent({ keepAlive: true }) };
  return {
    app: new TwitterApi(app.bearerToken!, settings),
    async as(user) {
      const t = await createToken(s.store, s.clock, app, user);
      return new TwitterApi({ appKey: app.consumerKey, appSecret: app.consumerSecret, accessToken: t.token, accessSecret: t.secret }, settings);
    },
    async close() {
      settings.httpAgent.destroy();
      await server.close();
    },
  };
}

/** Every id of a cursored v1.1 id list, walked page by page. */
export async function walkIds(client: TwitterApi, path: 'followers/ids.json' | 'friends/ids.json', userId: bigint, count: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor = '-1';
  for (;;) {
    const page = await client.v1.get(path, { user_id: userId.toString(), count, cursor, stringify_ids: true }) as { ids: string[]; next_cursor_str: string };
    ids.push(...page.ids);
    if (page.next_cursor_str === '0') return ids;
    cursor = page.next_cursor_str;
  }
}

/** Followers and friends of every user, counted from the stored follows. */
export function degrees(g: StoredGraph): { followers: Map<bigint, number>; friends: Map<bigint, number> } {
  const followers = new Map<bigint, number>();
  const friends = new Map<bigint, number>();
  for (const f of g.follows) {
    followers.set(f.dst, (followers.get(f.dst) ?? 0) + 1);
    friends.set(f.src, (friends.get(f.src) ?? 0) + 1);
  }
  return { followers, friends };
}
