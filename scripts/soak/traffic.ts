// The soak's request mix: reads, writes, bad requests and wrong signatures, in Twitter's own
// parameter shapes, over the seeded accounts. Every request is built fresh (nonce, timestamp).
// Signed with the reference RFC 5849 signer (scripts/lib/oauth1.ts), not the server's own code.
import type { Param } from '../../src/http/form.js';
import { authorizationHeader, formOf, oauthParams, type SignOptions } from '../lib/oauth1.js';

export interface SoakCredentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  secret: string;
}

/** The Authorization header over `params` (query plus form body); `tamper`: signed with a secret the server does not hold. */
function oauthHeader(c: SoakCredentials, method: string, host: string, path: string, params: readonly Param[], tamper: boolean): string {
  const creds = { consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token: c.token, tokenSecret: tamper ? `${c.secret}x` : c.secret };
  // the base string takes any method name (RFC 5849 §3.4.1.1); sign.ts types it as GET | POST
  return authorizationHeader(oauthParams(creds, { method: method as SignOptions['method'], signedUrl: `http://${host}${path}`, params }));
}

export interface SoakUser {
  id: string;
  screenName: string;
  creds: SoakCredentials;
}

export type Kind = 'read' | 'write' | 'bad' | 'badsig';

export interface SoakRequest {
  kind: Kind;
  /** a short name for the table of what was sent */
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const pick = <T>(a: readonly T[]): T => a[Math.floor(Math.random() * a.length)]!;

interface Call {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Param[];
  form?: Param[];
  json?: unknown;
}

type Maker = (me: SoakUser, other: SoakUser, users: readonly SoakUser[]) => Call;

const READS: Maker[] = [
  (_, o) => ({ name: 'followers/ids', method: 'GET', path: '/1.1/followers/ids.json', query: [['user_id', o.id], ['count', '200']] }),
  (_, o) => ({ name: 'friends/list', method: 'GET', path: '/1.1/friends/list.json', query: [['screen_name', o.screenName], ['count', '50']] }),
  (_, o) => ({ name: 'users/show', method: 'GET', path: '/1.1/users/show.json', query: [['screen_name', o.screenName]] }),
  (_, __, all) => ({ name: 'users/lookup', method: 'GET', path: '/1.1/users/lookup.json', query: [['user_id', [1, 2, 3, 4, 5].map(() => pick(all).id).join(',')]] }),
  (m, o) => ({ name: 'friendships/show', method: 'GET', path: '/1.1/friendships/show.json', query: [['source_id', m.id], ['target_id', o.id]] }),
  (_, __, all) => ({ name: 'friendships/lookup', method: 'GET', path: '/1.1/friendships/lookup.json', query: [['screen_name', [1, 2, 3].map(() => pick(all).screenName).join(',')]] }),
  () => ({ name: 'friendships/incoming', method: 'GET', path: '/1.1/friendships/incoming.json' }),
  () => ({ name: 'blocks/ids', method: 'GET', path: '/1.1/blocks/ids.json' }),
  () => ({ name: 'mutes/users/list', method: 'GET', path: '/1.1/mutes/users/list.json' }),
  () => ({ name: 'users/search', method: 'GET', path: '/1.1/users/search.json', query: [['q', 'soak']] }),
  (_, o) => ({ name: 'v2 users/:id', method: 'GET', path: `/2/users/${o.id}`, query: [['user.fields', 'public_metrics,protected']] }),
  (_, o) => ({ name: 'v2 followers', method: 'GET', path: `/2/users/${o.id}/followers`, query: [['max_results', '100']] }),
  (_, o) => ({ name: 'v2 following', method: 'GET', path: `/2/users/${o.id}/following` }),
  (_, __, all) => ({ name: 'v2 users/by', method: 'GET', path: '/2/users/by', query: [['usernames', [1, 2, 3].map(() => pick(all).screenName).join(',')]] }),
  () => ({ name: 'v2 users/me', method: 'GET', path: '/2/users/me' }),
];

const WRITES: Maker[] = [
  (_, o) => ({ name: 'friendships/create', method: 'POST', path: '/1.1/friendships/create.json', form: [['user_id', o.id]] }),
  (_, o) => ({ name: 'friendships/destroy', method: 'POST', path: '/1.1/friendships/destroy.json', form: [['screen_name', o.screenName]] }),
  (_, o) => ({ name: 'blocks/create', method: 'POST', path: '/1.1/blocks/create.json', form: [['user_id', o.id], ['skip_status', 'true']] }),
  (_, o) => ({ name: 'blocks/destroy', method: 'POST', path: '/1.1/blocks/destroy.json', form: [['user_id', o.id]] }),
  (_, o) => ({ name: 'mutes/create', method: 'POST', path: '/1.1/mutes/users/create.json', form: [['screen_name', o.screenName]] }),
  (_, o) => ({ name: 'mutes/destroy', method: 'POST', path: '/1.1/mutes/users/destroy.json', form: [['screen_name', o.screenName]] }),
  (_, o) => ({ name: 'friendships/accept', method: 'POST', path: '/1.1/friendships/accept.json', form: [['user_id', o.id]] }),
  (m, o) => ({ name: 'v2 follow', method: 'POST', path: `/2/users/${m.id}/following`, json: { target_user_id: o.id } }),
  (m, o) => ({ name: 'v2 unfollow', method: 'DELETE', path: `/2/users/${m.id}/following/${o.id}` }),
  (m, o) => ({ name: 'v2 unblock', method: 'DELETE', path: `/2/users/${m.id}/blocking/${o.id}` }),
];

const BAD: Maker[] = [
  () => ({ name: 'users/show no params', method: 'GET', path: '/1.1/users/show.json' }),
  () => ({ name: 'users/show unknown', method: 'GET', path: '/1.1/users/show.json', query: [['screen_name', 'nobody_here_x']] }),
  () => ({ name: 'followers/ids bad cursor', method: 'GET', path: '/1.1/followers/ids.json', query: [['cursor', 'abc'], ['user_id', '1']] }),
  () => ({ name: 'followers/ids huge id', method: 'GET', path: '/1.1/followers/ids.json', query: [['user_id', '99999999999999999999999']] }),
  (m) => ({ name: 'follow self', method: 'POST', path: '/1.1/friendships/create.json', form: [['user_id', m.id]] }),
  () => ({ name: 'v2 bad id', method: 'GET', path: '/2/users/not-an-id' }),
  (_, o) => ({ name: 'v2 follow for other', method: 'POST', path: `/2/users/${o.id}/following`, json: { target_user_id: o.id } }),
  () => ({ name: 'no such endpoint', method: 'GET', path: '/1.1/statuses/nothing.json' }),
];

const MIX: [Kind, number, Maker[]][] = [['read', 60, READS], ['write', 25, WRITES], ['bad', 10, BAD], ['badsig', 5, READS]];
const TOTAL = MIX.reduce((s, [, w]) => s + w, 0);

/** One request of the mix, signed as a random seeded user (badly, for `badsig`). */
export function nextRequest(users: readonly SoakUser[], host: string): SoakRequest {
  let r = Math.random() * TOTAL;
  const [kind, , makers] = MIX.find(([, w]) => (r -= w) < 0) ?? MIX[0]!;
  const me = pick(users);
  let other = pick(users);
  while (other === me && users.length > 1) other = pick(users);
  const call = pick(makers)(me, other, users);
  const query = call.query ?? [];
  const form = call.form ?? [];
  const headers: Record<string, string> = {
    authorization: oauthHeader(me.creds, call.method, host, call.path, [...query, ...form], kind === 'badsig'),
  };
  let body: string | undefined;
  if (call.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = formOf(form);
  } else if (call.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.json);
  }
  const qs = formOf(query);
  return { kind, name: kind === 'badsig' ? `bad signature: ${call.name}` : call.name, method: call.method, path: qs ? `${call.path}?${qs}` : call.path, headers, body };
}
