// The fixture file: users, apps, tokens, the graph between them and fault rules, under stable
// names (docs/emulator.md). Parsed and checked whole before anything is written (with the account
// rules the writes would apply); every error names the file, the line and the key.
import { LineCounter, parseDocument } from 'yaml';
import { checkCallbackUrls, checkUserInput } from '../admin/accounts.js';
import type { AccessLevel } from '../store/types.js';
import { FaultSpecError, parseFaultSpec, type FaultSpec } from './fault-rules.js';
import { FixtureError, Reader, type Path } from './fixture-reader.js';

export { FixtureError };

export interface FixtureApp {
  name: string;
  /** "file:line", for errors raised while loading */
  where: string;
  consumerKey?: string;
  consumerSecret?: string;
  bearerToken?: string;
  clientId?: string;
  clientSecret?: string;
  callbackUrls: string[];
}

export interface FixtureUser {
  screenName: string;
  where: string;
  name?: string;
  description?: string;
  location?: string;
  url?: string;
  email?: string;
  protected: boolean;
  verified: boolean;
  state: 'active' | 'suspended' | 'deactivated';
  locked: boolean;
}

export interface FixtureToken {
  name: string;
  where: string;
  user: string;
  app: string;
  access: AccessLevel;
  token?: string;
  secret?: string;
}

export interface FixtureEdge {
  src: string;
  dst: string;
  /** "file:line follows[2]", for errors raised while loading */
  where: string;
}

export type EdgeSection = 'follows' | 'requests' | 'blocks' | 'mutes';
export const EDGE_SECTIONS: readonly EdgeSection[] = ['follows', 'requests', 'blocks', 'mutes'];

export interface Fixture {
  apps: FixtureApp[];
  users: FixtureUser[];
  tokens: FixtureToken[];
  edges: Record<EdgeSection, FixtureEdge[]>;
  faults: FaultSpec[];
}

const SECTIONS = ['apps', 'users', 'tokens', ...EDGE_SECTIONS, 'faults'];
const APP_KEYS = ['consumer_key', 'consumer_secret', 'bearer_token', 'client_id', 'client_secret', 'callback_urls'];
const USER_KEYS = ['name', 'description', 'location', 'url', 'email', 'protected', 'verified', 'suspended', 'deactivated', 'locked'];
const TOKEN_KEYS = ['user', 'app', 'access', 'token', 'secret'];
const ACCESS: readonly AccessLevel[] = ['read', 'read-write', 'read-write-directmessages'];
const EDGE = /^\s*([A-Za-z0-9_]{1,15})\s*(?:->|follows|requests|blocks|mutes)\s*([A-Za-z0-9_]{1,15})\s*$/;

function apps(r: Reader, raw: unknown): FixtureApp[] {
  return Object.entries(r.mapping(raw, ['apps'])).map(([name, value]) => {
    const path = ['apps', name];
    const o = r.mapping(value, path, APP_KEYS);
    if (name.trim() === '') r.fail(path, 'an app name must not be empty');
    const urls = r.list(o.callback_urls, [...path, 'callback_urls']).map((u, i) => {
      if (typeof u !== 'string') r.fail([...path, 'callback_urls', i], 'must be a URL');
      r.accountRule(() => checkCallbackUrls([u]), [...path, 'callback_urls', i]);
      return u;
    });
    return {
      name, where: r.where(path), callbackUrls: urls,
      consumerKey: r.credential(o, 'consumer_key', path), consumerSecret: r.credential(o, 'consumer_secret', path),
      bearerToken: r.credential(o, 'bearer_token', path), clientId: r.credential(o, 'client_id', path),
      clientSecret: r.credential(o, 'client_secret', path),
    };
  });
}

function users(r: Reader, raw: unknown): FixtureUser[] {
  return Object.entries(r.mapping(raw, ['users'])).map(([screenName, value]) => {
    const path = ['users', screenName];
    if (!/^[A-Za-z0-9_]{1,15}$/.test(screenName)) r.fail(path, 'a screen name is 1-15 letters, digits or underscores');
    const o = r.mapping(value, path, USER_KEYS);
    const suspended = r.flag(o, 'suspended', path);
    const deactivated = r.flag(o, 'deactivated', path);
    if (suspended && deactivated) r.fail(path, 'cannot be both suspended and deactivated');
    const profile = { screenName, name: r.text(o, 'name', path), url: r.text(o, 'url', path) };
    r.accountRule(() => checkUserInput(profile), path, { name: 'name', url: 'url' });
    return {
      ...profile, where: r.where(path), description: r.text(o, 'description', path), location: r.text(o, 'location', path),
      email: r.text(o, 'email', path),
      protected: r.flag(o, 'protected', path), verified: r.flag(o, 'verified', path), locked: r.flag(o, 'locked', path),
      state: suspended ? 'suspended' : deactivated ? 'deactivated' : 'active',
    };
  });
}

/** Without a `tokens` section every user gets a token, named after them, on the first app. */
function tokens(r: Reader, raw: unknown, appList: FixtureApp[], userList: FixtureUser[]): FixtureToken[] {
  if (raw === undefined) {
    const app = appList[0];
    return app ? userList.map((u) => ({ name: u.screenName, where: u.where, user: u.screenName, app: app.name, access: 'read-write-directmessages' })) : [];
  }
  const seen = new Map<string, string>();
  return Object.entries(r.mapping(raw, ['tokens'])).map(([name, value]) => {
    const path = ['tokens', name];
    const o = r.mapping(value, path, TOKEN_KEYS);
    const user = r.text(o, 'user', path) ?? name;
    if (!userList.some((u) => u.screenName === user)) r.fail([...path, ...(o.user === undefined ? [] : ['user'])], `no user "${user}" in users`);
    const app = r.text(o, 'app', path) ?? appList[0]?.name;
    if (app === undefined || !appList.some((a) => a.name === app)) r.fail([...path, 'app'], `no app "${app ?? ''}" in apps`);
    const access = (r.text(o, 'access', path) ?? 'read-write-directmessages') as AccessLevel;
    if (!ACCESS.includes(access)) r.fail([...path, 'access'], `must be one of ${ACCESS.join(', ')}`);
    // roost keeps one token per user, app and access level: a second would be the first again.
    const twin = seen.get(`${user} ${app} ${access}`);
    if (twin) r.fail(path, `same user, app and access as tokens.${twin}; roost keeps one token for those`);
    seen.set(`${user} ${app} ${access}`, name);
    return { name, where: r.where(path), user, app, access, token: r.credential(o, 'token', path), secret: r.credential(o, 'secret', path) };
  });
}

function edges(r: Reader, section: EdgeSection, raw: unknown, userList: FixtureUser[]): FixtureEdge[] {
  const seen = new Set<string>();
  return r.list(raw, [section]).map((item, i) => {
    const path = [section, i];
    const m = typeof item === 'string' ? EDGE.exec(item) : null;
    if (!m) r.fail(path, `must read "alice -> bob" or "alice ${section} bob"`);
    for (const name of [m[1]!, m[2]!]) if (!userList.some((u) => u.screenName === name)) r.fail(path, `no user "${name}" in users`);
    if (m[1] === m[2]) r.fail(path, `${m[1]} cannot be its own ${section.slice(0, -1)}`);
    if (seen.has(`${m[1]} ${m[2]}`)) r.fail(path, `${m[1]} -> ${m[2]} is listed twice`);
    if (section === 'requests' && !userList.find((u) => u.screenName === m[2])!.protected) {
      r.fail(path, `${m[2]} is not protected, so a follow would not wait for approval`);
    }
    seen.add(`${m[1]} ${m[2]}`);
    return { src: m[1]!, dst: m[2]!, where: `${r.where(path)}: ${section}[${i}]` };
  });
}

function faults(r: Reader, raw: unknown): FaultSpec[] {
  return r.list(raw, ['faults']).map((item, i) => {
    try {
      return parseFaultSpec(item);
    } catch (err) {
      if (err instanceof FaultSpecError) r.fail(['faults', i, ...(err.key ? [err.key] : [])], err.message);
      throw err;
    }
  });
}

/** A credential fixed twice would be refused by the database halfway through a load. */
function checkUnique(r: Reader, apps: FixtureApp[], tokens: FixtureToken[]): void {
  const seen = new Map<string, string>();
  const claim = (value: string | undefined, path: Path) => {
    if (value === undefined) return;
    const other = seen.get(value);
    if (other) r.fail(path, `the same value as ${other}`);
    seen.set(value, path.join('.'));
  };
  for (const a of apps) {
    claim(a.consumerKey, ['apps', a.name, 'consumer_key']);
    claim(a.bearerToken, ['apps', a.name, 'bearer_token']);
    claim(a.clientId, ['apps', a.name, 'client_id']);
  }
  for (const t of tokens) claim(t.token, ['tokens', t.name, 'token']);
}

/** Parses fixture text (YAML, or JSON, which is YAML too); `source` names it in errors. */
export function parseFixture(text: string, source = 'fixture'): Fixture {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) throw new FixtureError(`${source}:${problem.linePos?.[0]?.line ?? 1}: ${problem.message.split('\n')[0]}`);
  const r = new Reader(doc, lines, source);
  const top = r.mapping(doc.toJS() as unknown, [], SECTIONS);
  const appList = apps(r, top.apps);
  const userList = users(r, top.users);
  const tokenList = tokens(r, top.tokens, appList, userList);
  checkUnique(r, appList, tokenList);
  return {
    apps: appList,
    users: userList,
    tokens: tokenList,
    edges: {
      follows: edges(r, 'follows', top.follows, userList),
      requests: edges(r, 'requests', top.requests, userList),
      blocks: edges(r, 'blocks', top.blocks, userList),
      mutes: edges(r, 'mutes', top.mutes, userList),
    },
    faults: faults(r, top.faults),
  };
}
