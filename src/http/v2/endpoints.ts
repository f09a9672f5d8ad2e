// Every v2 endpoint roost serves, declared once as plain data: path, limits, the credentials it
// takes, the OAuth 2.0 scopes it needs and the query parameters it knows (§3.1, §4, §5.4).
// Handlers are bound to it by `rateKey` in handlers.ts.
import { FIELD_PARAMS } from './query.js';

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
  /** `METHOD /path`: the endpoint's name, and its rate-limit bucket */
  rateKey: string;
  /** v2 counts a user's requests per app as well (§4) */
  perApp: true;
}

const READ = ['tweet.read', 'users.read'];
const LIST_QUERY = ['max_results', 'pagination_token', ...FIELD_PARAMS];

const lookup = (path: string, pathParams: string[], query: string[], userLimit = 900, appLimit: number | null = 300): V2Endpoint => ({
  method: 'GET', path, userLimit, appLimit, scopes: READ, write: false, pathParams, query: [...query, ...FIELD_PARAMS],
  rateKey: `GET ${path}`, perApp: true,
});
const list = (path: string, scope: string, appLimit: number | null, callerParam?: 'id'): V2Endpoint => ({
  method: 'GET', path, userLimit: 15, appLimit, scopes: [scope, ...READ], write: false, callerParam, pathParams: ['id'], query: LIST_QUERY,
  rateKey: `GET ${path}`, perApp: true,
});
const write = (method: 'POST' | 'DELETE', path: string, scope: string): V2Endpoint => ({
  method, path, userLimit: 50, appLimit: null, scopes: [scope, ...READ], write: true,
  callerParam: method === 'POST' ? 'id' : 'source_user_id',
  pathParams: method === 'POST' ? ['id'] : ['source_user_id', 'target_user_id'], query: [],
  rateKey: `${method} ${path}`, perApp: true,
});

export const V2_ENDPOINTS: readonly V2Endpoint[] = [
  lookup('/2/users', [], ['ids']),
  lookup('/2/users/me', [], [], 75, null),
  lookup('/2/users/by', [], ['usernames']),
  lookup('/2/users/search', [], ['query', 'max_results', 'next_token'], 300, null),
  lookup('/2/users/by/username/:username', ['username'], []),
  lookup('/2/users/:id', ['id'], []),
  list('/2/users/:id/followers', 'follows.read', 15),
  list('/2/users/:id/following', 'follows.read', 15),
  write('POST', '/2/users/:id/following', 'follows.write'),
  write('DELETE', '/2/users/:source_user_id/following/:target_user_id', 'follows.write'),
  list('/2/users/:id/blocking', 'block.read', null, 'id'),
  write('POST', '/2/users/:id/blocking', 'block.write'),
  write('DELETE', '/2/users/:source_user_id/blocking/:target_user_id', 'block.write'),
  list('/2/users/:id/muting', 'mute.read', null, 'id'),
  write('POST', '/2/users/:id/muting', 'mute.write'),
  write('DELETE', '/2/users/:source_user_id/muting/:target_user_id', 'mute.write'),
];

/**
 * Paths X defines under /2/users/ that roost does not serve and that `/2/users/:id` would
 * otherwise take as a bad id: they answer as the unknown routes they are here (X's OpenAPI paths).
 */
export const UNSERVED_V2_PATHS: readonly string[] = ['/2/users/personalized_trends', '/2/users/public_keys', '/2/users/reposts_of_me'];
