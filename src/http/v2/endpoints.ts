// Every v2 endpoint roost serves, declared once as plain data: path, limits, the credentials it
// takes, the OAuth 2.0 scopes it needs and the query parameters it knows (§3.1, §4, §5.4).
// Handlers are bound to it by `rateKey` in handlers.ts.
import type { TokenStyle } from '../../wire/v2/pagination-token.js';
import type { V2Param } from './params.js';
import { WEBHOOK_ENDPOINTS } from './webhook-endpoints.js';

export interface V2Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify route path */
  path: string;
  userLimit: number;
  /** per app under app-only auth; null: app-only refused (unsupported-authentication) */
  appLimit: number | null;
  /** absent: OAuth 2.0 user tokens are refused (the endpoint takes OAuth 1.0a users or app-only bearers) */
  scopes?: readonly string[];
  /** only an app-only bearer is taken (user contexts are refused) */
  appOnly?: boolean;
  write: boolean;
  /** the path parameter that must name the caller */
  callerParam?: 'id' | 'source_user_id';
  /** path parameters, then query parameters, typed, in the order Twitter listed them in errors */
  params: readonly V2Param[];
  /** `METHOD /path`: the endpoint's name, and its rate-limit bucket */
  rateKey: string;
  /** v2 counts a user's requests per app as well (§4) */
  perApp: true;
  /** the answer is a stream of lines, not one JSON body */
  streaming?: boolean;
  /** the JSON body's members, when not the writes' `target_user_id` */
  body?: readonly string[];
}

const READ = ['tweet.read', 'users.read'];
/** Field lists; their values are checked as the query is read (query.ts). */
const FIELDS: V2Param[] = [
  { name: 'expansions', in: 'query', type: 'fields' },
  { name: 'tweet.fields', in: 'query', type: 'fields' },
  { name: 'user.fields', in: 'query', type: 'fields' },
];
const path = (name: string, type: 'id' | 'username' | 'text' = 'id'): V2Param => ({ name, in: 'path', type });
const MAX_RESULTS: V2Param = { name: 'max_results', in: 'query', type: 'int', default: 100, min: 1, max: 1000 };
const pages = (style: TokenStyle): V2Param[] => [MAX_RESULTS, { name: 'pagination_token', in: 'query', type: 'token', style }];

const lookup = (path: string, params: V2Param[], userLimit = 900, appLimit: number | null = 300): V2Endpoint => ({
  method: 'GET', path, userLimit, appLimit, scopes: READ, write: false, params: [...params, ...FIELDS],
  rateKey: `GET ${path}`, perApp: true,
});
const list = (p: string, scope: string, appLimit: number | null, style: TokenStyle, callerParam?: 'id'): V2Endpoint => ({
  method: 'GET', path: p, userLimit: 15, appLimit, scopes: [scope, ...READ], write: false, callerParam, params: [path('id'), ...pages(style), ...FIELDS],
  rateKey: `GET ${p}`, perApp: true,
});
const write = (method: 'POST' | 'DELETE', p: string, scope: string): V2Endpoint => ({
  method, path: p, userLimit: 50, appLimit: null, scopes: [scope, ...READ], write: true,
  callerParam: method === 'POST' ? 'id' : 'source_user_id',
  // the caller's own id is checked against the caller, not parsed
  params: method === 'POST' ? [path('id', 'text')] : [path('source_user_id', 'text'), path('target_user_id')],
  rateKey: `${method} ${p}`, perApp: true,
});

/**
 * The Activity API: subscriptions are the app's (rate-limited per app; the create and list also
 * take a user context, as X's document says), the rest app-only bearers.
 */
const activity = (method: V2Endpoint['method'], p: string, limit: number, params: V2Param[], o: Partial<V2Endpoint> = {}): V2Endpoint => ({
  method, path: p, userLimit: limit, appLimit: limit, scopes: ['tweet.read', 'users.read'], write: method !== 'GET', params,
  rateKey: `${method} ${p}`, perApp: true, appOnly: true, ...o,
});
const SUBSCRIPTION_ID = path('subscription_id');

export const ACTIVITY_ENDPOINTS: readonly V2Endpoint[] = [
  activity('POST', '/2/activity/subscriptions', 50, [], { appOnly: false, body: ['event_type', 'filter', 'tag', 'webhook_id'] }),
  activity('GET', '/2/activity/subscriptions', 50, [
    { name: 'max_results', in: 'query', type: 'int', default: 100, min: 1, max: 1000 },
    { name: 'pagination_token', in: 'query', type: 'token', style: 'snowflake' },
  ], { appOnly: false }),
  activity('PUT', '/2/activity/subscriptions/:subscription_id', 50, [SUBSCRIPTION_ID], { body: ['tag', 'webhook_id'] }),
  activity('DELETE', '/2/activity/subscriptions/:subscription_id', 50, [SUBSCRIPTION_ID]),
  activity('DELETE', '/2/activity/subscriptions', 50, [{ name: 'ids', in: 'query', type: 'ids' }]),
  activity('GET', '/2/activity/stream', 50, [
    { name: 'backfill_minutes', in: 'query', type: 'int', default: 0, min: 0, max: 5 },
    { name: 'start_time', in: 'query', type: 'time' },
    { name: 'end_time', in: 'query', type: 'time' },
  ], { streaming: true }),
];

/** The credentials an endpoint takes, as the request log names them: app-only endpoints take a bearer alone. */
export const credentialKinds = (e: V2Endpoint): ('oauth1' | 'oauth2-user' | 'app-only')[] =>
  e.appOnly ? ['app-only'] : ['oauth1', ...(e.scopes ? ['oauth2-user' as const] : []), ...(e.appLimit === null ? [] : ['app-only' as const])];

/** The JSON body's members: declared, or the relationship writes' `target_user_id`. */
export const bodyMembers = (e: V2Endpoint): readonly string[] => e.body ?? (e.method === 'POST' ? ['target_user_id'] : []);

export const V2_ENDPOINTS: readonly V2Endpoint[] = [
  lookup('/2/users', [{ name: 'ids', in: 'query', type: 'ids' }]),
  lookup('/2/users/me', [], 75, null),
  lookup('/2/users/by', [{ name: 'usernames', in: 'query', type: 'usernames' }]),
  lookup('/2/users/search', [
    { name: 'query', in: 'query', type: 'search-query' }, MAX_RESULTS, { name: 'next_token', in: 'query', type: 'search-token' },
  ], 300, null),
  lookup('/2/users/by/username/:username', [path('username', 'username')]),
  lookup('/2/users/:id', [path('id')]),
  list('/2/users/:id/followers', 'follows.read', 15, 'base32'),
  list('/2/users/:id/following', 'follows.read', 15, 'base32'),
  write('POST', '/2/users/:id/following', 'follows.write'),
  write('DELETE', '/2/users/:source_user_id/following/:target_user_id', 'follows.write'),
  list('/2/users/:id/blocking', 'block.read', null, 'base32', 'id'),
  write('POST', '/2/users/:id/blocking', 'block.write'),
  write('DELETE', '/2/users/:source_user_id/blocking/:target_user_id', 'block.write'),
  list('/2/users/:id/muting', 'mute.read', null, 'long', 'id'),
  write('POST', '/2/users/:id/muting', 'mute.write'),
  write('DELETE', '/2/users/:source_user_id/muting/:target_user_id', 'mute.write'),
  ...ACTIVITY_ENDPOINTS,
  ...WEBHOOK_ENDPOINTS,
];

/**
 * Paths X defines under /2/users/ that roost does not serve and that `/2/users/:id` would
 * otherwise take as a bad id: they answer as the unknown routes they are here (X's OpenAPI paths).
 */
export const UNSERVED_V2_PATHS: readonly string[] = ['/2/users/personalized_trends', '/2/users/public_keys', '/2/users/reposts_of_me'];
