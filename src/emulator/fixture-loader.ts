// Writes a parsed fixture through roost's own rules (accounts, graph), so counts and refusals are
// what the API would produce. Credentials not fixed by the file are drawn from `source`: the
// seeded generator in emulator mode, so the same seed gives the same tokens.
import { AccountError, createApp, createToken, createUser } from '../admin/accounts.js';
import { randomToken } from '../auth/credentials.js';
import { GraphRuleError } from '../graph/errors.js';
import { overFollowingRatio, type FollowPolicy } from '../graph/follow-policy.js';
import type { Actor } from '../graph/graph.js';
import type { Services } from '../services.js';
import type { AppRow, TokenRow, UserRow } from '../store/types.js';
import { FixtureError, type Fixture, type FixtureEdge } from './fixture.js';

export interface CredentialSource {
  token(length: number): string;
}

export const randomCredentials: CredentialSource = { token: randomToken };

export interface NamedToken {
  name: string;
  row: TokenRow;
  user: UserRow;
  app: AppRow;
}

/** What a load created, by the fixture's names. */
export interface LoadedFixture {
  apps: Map<string, AppRow>;
  users: Map<string, UserRow>;
  tokens: Map<string, NamedToken>;
}

const actor = (u: UserRow): Actor => ({ userId: u.id, appId: null });

async function edge(e: FixtureEdge, users: Map<string, UserRow>, write: (src: UserRow, dst: UserRow) => Promise<void>): Promise<void> {
  try {
    await write(users.get(e.src)!, users.get(e.dst)!);
  } catch (err) {
    if (err instanceof GraphRuleError) throw new FixtureError(`${e.where}: refused by the graph rules (${err.reason})`);
    throw err;
  }
}

async function apps(s: Services, f: Fixture, source: CredentialSource): Promise<Map<string, AppRow>> {
  const out = new Map<string, AppRow>();
  for (const a of f.apps) {
    // Every secret is drawn, given or not, so fixing one does not shift the others.
    const drawn = { consumerKey: source.token(25), consumerSecret: source.token(50), bearerToken: `AAAAAAAAAAAAAAAAAAAAA${source.token(80)}`,
      clientId: source.token(34), clientSecret: source.token(50) };
    const fixed = Object.fromEntries(Object.entries(a).filter(([k, v]) => k in drawn && v !== undefined));
    try {
      out.set(a.name, await createApp(s.store, s.ids, s.clock, a.name, a.callbackUrls, 'confidential', { ...drawn, ...fixed }));
    } catch (err) {
      if (err instanceof AccountError) throw new FixtureError(`${a.where}: apps.${a.name}: ${err.message}`);
      throw err;
    }
  }
  return out;
}

async function users(s: Services, f: Fixture): Promise<Map<string, UserRow>> {
  const out = new Map<string, UserRow>();
  for (const u of f.users) {
    try {
      out.set(u.screenName, await createUser(s.store, s.ids, s.clock, { ...u, url: u.url ?? null, email: u.email ?? null }));
    } catch (err) {
      if (err instanceof AccountError) throw new FixtureError(`${u.where}: users.${u.screenName}: ${err.message}`);
      throw err;
    }
  }
  return out;
}

async function tokens(s: Services, f: Fixture, source: CredentialSource, loaded: Omit<LoadedFixture, 'tokens'>): Promise<Map<string, NamedToken>> {
  const out = new Map<string, NamedToken>();
  for (const t of f.tokens) {
    const user = loaded.users.get(t.user)!;
    const app = loaded.apps.get(t.app)!;
    const drawn = { token: `${user.id}-${source.token(40)}`, secret: source.token(45) };
    const row = await createToken(s.store, s.clock, app, user, t.access, { token: t.token ?? drawn.token, secret: t.secret ?? drawn.secret });
    out.set(t.name, { name: t.name, row, user, app });
  }
  return out;
}

/** Names and fixed credentials already in the database: refused before anything is written. */
async function checkFree(s: Services, f: Fixture): Promise<void> {
  for (const u of f.users) {
    if (await s.store.userByScreenName(u.screenName)) throw new FixtureError(`${u.where}: users.${u.screenName}: screen name "${u.screenName}" is taken`);
  }
  for (const a of f.apps) {
    const taken = (a.consumerKey && await s.store.appByConsumerKey(a.consumerKey) && 'consumer_key')
      || (a.bearerToken && await s.store.appByBearer(a.bearerToken) && 'bearer_token')
      || (a.clientId && await s.store.appByClientId(a.clientId) && 'client_id');
    if (taken) throw new FixtureError(`${a.where}: apps.${a.name}.${taken}: already in use`);
  }
  for (const t of f.tokens) if (t.token && await s.store.tokenByValue(t.token)) throw new FixtureError(`${t.where}: tokens.${t.name}.token: already in use`);
}

/**
 * The follow limits, played over the fixture's follows and requests in load order: the users are
 * new, so their counts and daily quota start at zero and only the fixture moves them.
 */
function checkFollowLimits(f: Fixture, policy: FollowPolicy): void {
  const counts = new Map<string, { friendsCount: number; followersCount: number; taken: number }>();
  const of = (name: string) => counts.get(name) ?? counts.set(name, { friendsCount: 0, followersCount: 0, taken: 0 }).get(name)!;
  const following = new Set<string>();
  const attempt = (e: FixtureEdge, follows: boolean) => {
    if (following.has(`${e.src} ${e.dst}`)) return; // already following: nothing is taken
    const me = of(e.src);
    if (overFollowingRatio(policy, me)) {
      throw new FixtureError(`${e.where}: ${e.src} would follow more than ROOST_FOLLOWING_CAP (${policy.followingCap}) allows for its followers`);
    }
    if (policy.followsPerDay !== null && ++me.taken > policy.followsPerDay) {
      throw new FixtureError(`${e.where}: ${e.src} would pass the daily follow quota (ROOST_FOLLOWS_PER_DAY=${policy.followsPerDay})`);
    }
    if (!follows) return;
    following.add(`${e.src} ${e.dst}`);
    me.friendsCount++;
    of(e.dst).followersCount++;
  };
  for (const e of f.edges.follows) attempt(e, true);
  for (const e of f.edges.requests) attempt(e, false);
}

/**
 * Creates everything the fixture names, in file order: apps, users, tokens, then the graph, then
 * account states. What can be refused is checked first (the account rules, self-edges and unknown
 * names at parse; names taken and the follow limits here), so a load that starts finishes.
 */
export async function loadFixture(s: Services, f: Fixture, source: CredentialSource = randomCredentials): Promise<LoadedFixture> {
  checkFollowLimits(f, s.config.follow);
  await checkFree(s, f);
  const loadedApps = await apps(s, f, source);
  const loadedUsers = await users(s, f);
  const loadedTokens = await tokens(s, f, source, { apps: loadedApps, users: loadedUsers });
  const g = s.graph;
  for (const e of f.edges.follows) {
    await edge(e, loadedUsers, async (src, dst) => {
      const { outcome } = await g.follow(actor(src), dst.id, { notify: false });
      if (outcome === 'requested') await g.accept(actor(dst), src.id); // a protected account's follower: approved
    });
  }
  for (const e of f.edges.requests) {
    await edge(e, loadedUsers, async (src, dst) => { await g.follow(actor(src), dst.id, { notify: false }); });
  }
  for (const e of f.edges.blocks) await edge(e, loadedUsers, async (src, dst) => { await g.block(actor(src), dst.id); });
  for (const e of f.edges.mutes) await edge(e, loadedUsers, async (src, dst) => { await g.mute(actor(src), dst.id); });
  // States last: follows of a suspended user would be refused, and setState moves the counts.
  for (const u of f.users) {
    const row = loadedUsers.get(u.screenName)!;
    if (u.state !== 'active') await g.setState(row.id, u.state);
    if (u.locked) await s.store.transaction((tx) => tx.updateUser(row.id, { locked: true }));
  }
  for (const [name, row] of loadedUsers) loadedUsers.set(name, (await s.store.userById(row.id))!);
  return { apps: loadedApps, users: loadedUsers, tokens: loadedTokens };
}
