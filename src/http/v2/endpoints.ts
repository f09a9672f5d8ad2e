// Every v2 endpoint roost serves, declared once: path, limits, the credentials it takes,
// the OAuth 2.0 scopes it needs and the query parameters it knows (§3.1, §4, §5.4).
import type { V2Handler } from './context.js';
import { FIELD_PARAMS } from './query.js';
import * as rel from './relationships.js';
import * as users from './users.js';

export interface V2Endpoint {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify route path */
  path: string;
  userLimit: number;
  /** per app under app-only auth; null: app-only refused (unsupported-authentication) */
  appLimit: number | null;
  scopes: readonly string[];
  write: boolean;
  /** the path parameter that must name the caller */
  callerParam?: 'id' | 'source_user_id';
  /** path parameters, then query parameters, in the order Twitter listed them in errors */
  pathParams: readonly string[];
  query: readonly string[];
  handler: V2Handler;
}

const READ = ['tweet.read', 'users.read'];
const LIST_QUERY = ['max_results', 'pagination_token', ...FIELD_PARAMS];

const lookup = (path: string, pathParams: string[], query: string[], handler: V2Handler, userLimit = 900, appLimit: number | null = 300): V2Endpoint =>
  ({ method: 'GET', path, userLimit, appLimit, scopes: READ, write: false, pathParams, query: [...query, ...FIELD_PARAMS], handler });
const list = (path: string, scope: string, handler: V2Handler, appLimit: number | null, callerParam?: 'id'): V2Endpoint =>
  ({ method: 'GET', path, userLimit: 15, appLimit, scopes: [scope, ...READ], write: false, callerParam, pathParams: ['id'], query: LIST_QUERY, handler });
const write = (method: 'POST' | 'DELETE', path: string, scope: string, handler: V2Handler): V2Endpoint => ({
  method, path, userLimit: 50, appLimit: null, scopes: [scope, ...READ], write: true,
  callerParam: method === 'POST' ? 'id' : 'source_user_id',
  pathParams: method === 'POST' ? ['id'] : ['source_user_id', 'target_user_id'], query: [], handler,
});

export const V2_ENDPOINTS: readonly V2Endpoint[] = [
  lookup('/2/users', [], ['ids'], users.usersByIds),
  lookup('/2/users/me', [], [], users.me, 75, null),
  lookup('/2/users/by', [], ['usernames'], users.usersByNames),
  lookup('/2/users/search', [], ['query', 'max_results', 'next_token'], users.search, 300, null),
  lookup('/2/users/by/username/:username', ['username'], [], users.userByName),
  lookup('/2/users/:id', ['id'], [], users.userById),
  list('/2/users/:id/followers', 'follows.read', rel.userList('follow', 'in', 'base32', false), 15),
  list('/2/users/:id/following', 'follows.read', rel.userList('follow', 'out', 'base32', false), 15),
  write('POST', '/2/users/:id/following', 'follows.write', rel.follow),
  write('DELETE', '/2/users/:source_user_id/following/:target_user_id', 'follows.write', rel.unfollow),
  list('/2/users/:id/blocking', 'block.read', rel.userList('block', 'out', 'base32', true), null, 'id'),
  write('POST', '/2/users/:id/blocking', 'block.write', rel.block),
  write('DELETE', '/2/users/:source_user_id/blocking/:target_user_id', 'block.write', rel.unblock),
  list('/2/users/:id/muting', 'mute.read', rel.userList('mute', 'out', 'long', true), null, 'id'),
  write('POST', '/2/users/:id/muting', 'mute.write', rel.mute),
  write('DELETE', '/2/users/:source_user_id/muting/:target_user_id', 'mute.write', rel.unmute),
];
