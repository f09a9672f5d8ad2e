// The benchmark's graph: generated once by `bin/roost generate` into bench/.data/ and reused,
// plus the accounts the benchmark signs as (created on first use, found again afterwards).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createApp, createToken, createUser } from '../src/admin/accounts.js';
import { loadConfig } from '../src/config.js';
import { closeServices, createServices } from '../src/services.js';
import type { Creds } from './oauth1-signer.js';

const BIN = new URL('../bin/roost', import.meta.url).pathname;
const DATA = new URL('./.data/', import.meta.url).pathname;

export interface GraphSize { users: number; follows: number; seed: number; celebrities: number }

/** The graph's file, generating it first if no earlier run left one; seconds spent generating. */
export function graphFile(size: GraphSize, say: (line: string) => void): { path: string; generatedSeconds: number | null } {
  mkdirSync(DATA, { recursive: true });
  const path = `${DATA}graph-u${size.users}-f${size.follows}-s${size.seed}-c${size.celebrities}.db`;
  if (existsSync(path)) return { path, generatedSeconds: null };
  const partial = `${path}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  say(`generating ${size.users.toLocaleString('en')} users and ${size.follows.toLocaleString('en')} follows (once; kept in bench/.data/)`);
  const t0 = performance.now();
  execFileSync(process.execPath, [BIN, 'generate', '--db', partial, '--users', String(size.users), '--follows', String(size.follows),
    '--seed', String(size.seed), '--celebrities', String(size.celebrities), '--quiet'], { stdio: ['ignore', 'inherit', 'inherit'] });
  renameSync(partial, path); // only a finished graph is ever reused
  return { path, generatedSeconds: (performance.now() - t0) / 1000 };
}

export interface Account { id: bigint; creds: Creds }

export interface BenchAccounts {
  actors: Account[];
  targets: bigint[];
  /** the account with the most followers, and how many */
  star: { id: bigint; followers: number };
  /** 100 existing users, for the lookups */
  sample: bigint[];
  /** the cursor of the last 5,000-id page of the star's followers */
  lastPageCursor: bigint;
  /** the bench app's bearer token (the Activity API's credentials) */
  bearer: string;
}

/** What the reads ask for, found in the stored graph. */
export type Recorded = Pick<BenchAccounts, 'star' | 'sample' | 'lastPageCursor'>;

function recordedInFile(path: string): Recorded {
  const db = new Database(path, { readonly: true });
  db.defaultSafeIntegers(true);
  const star = db.prepare('SELECT id, followers_count AS n FROM users ORDER BY followers_count DESC LIMIT 1').get() as { id: bigint; n: bigint };
  const sample = (db.prepare('SELECT src AS id FROM edges_bwd WHERE kind = 0 AND dst = ? AND hidden = 0 ORDER BY seq DESC LIMIT 100').all(star.id) as { id: bigint }[]).map((r) => r.id);
  const last = db.prepare('SELECT seq FROM edges_bwd WHERE kind = 0 AND dst = ? AND hidden = 0 ORDER BY seq ASC LIMIT 1 OFFSET 5000').get(star.id) as { seq: bigint } | undefined;
  db.close();
  return { star: { id: star.id, followers: Number(star.n) }, sample, lastPageCursor: last?.seq ?? -1n };
}

export async function benchAccounts(path: string, actorCount: number, targetCount: number,
  recorded: () => Promise<Recorded> = async () => recordedInFile(path)): Promise<BenchAccounts> {
  const s = await createServices(loadConfig({ db: path, redisUrl: null }, {}));
  try {
    const app = (await s.store.listApps()).find((a) => a.name === 'bench') ?? await createApp(s.store, s.ids, s.clock, 'bench');
    const user = async (screenName: string) => (await s.store.userByScreenName(screenName)) ?? createUser(s.store, s.ids, s.clock, { screenName });
    const actors: Account[] = [];
    for (let i = 0; i < actorCount; i++) {
      const u = await user(`bench_a${i}`);
      const t = await createToken(s.store, s.clock, app, u);
      actors.push({ id: u.id, creds: { consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: t.token, tokenSecret: t.secret } });
    }
    const targets: bigint[] = [];
    for (let i = 0; i < targetCount; i++) targets.push((await user(`bench_t${i}`)).id);
    // Recorded here so reads and the page test ask for the same things on every server.
    return { actors, targets, ...await recorded(), bearer: app.bearerToken! };
  } finally {
    await closeServices(s);
  }
}

/** The reads every run measures, with the targets (ms of CPU per answer) they are held to. */
export function benchReads(acc: BenchAccounts): { name: string; path: string; target: number | null }[] {
  const viewer = acc.actors[0]!;
  const star = acc.star.id;
  const sample = acc.sample.join(',');
  return [
    { name: 'followers/ids (5,000)', path: `/1.1/followers/ids.json?user_id=${star}&count=5000`, target: 1.5 },
    { name: 'followers/list (200)', path: `/1.1/followers/list.json?user_id=${star}&count=200`, target: 2 },
    { name: 'users/lookup (100)', path: `/1.1/users/lookup.json?user_id=${sample}`, target: 2 },
    { name: 'users/show', path: `/1.1/users/show.json?user_id=${star}`, target: 1 },
    { name: 'friendships/lookup (100)', path: `/1.1/friendships/lookup.json?user_id=${sample}`, target: 0.7 },
    { name: 'friendships/show', path: `/1.1/friendships/show.json?source_id=${viewer.id}&target_id=${star}`, target: 1 },
    { name: 'v2 followers (1,000)', path: `/2/users/${star}/followers?max_results=1000`, target: 1.5 },
  ];
}
