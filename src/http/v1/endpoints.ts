// Every v1.1 endpoint roost serves, declared once as plain data: the request pipeline, the rate
// limiter, application/rate_limit_status, the emulator's rules and docs/api.md all read this
// table (§10.4, §14). Handlers are bound to it by name in handlers.ts.

export interface V1Endpoint {
  /** the path without /1.1/ and .json */
  name: string;
  methods: readonly ('GET' | 'POST')[];
  /** family and key in application/rate_limit_status; reads only */
  family: string;
  rateKey?: string;
  /** requests per 15-minute window per user */
  userLimit?: number;
  /** per app under app-only auth; null: app-only callers are refused (403/220) */
  appLimit: number | null;
  /** needs an access token with write access */
  write: boolean;
  /** answers callers whose account is suspended (verify_credentials) */
  allowSuspended?: boolean;
  /** set for endpoints Twitter's public API did not have: why roost serves them */
  extension?: string;
  /** the `count` parameter's default and maximum, where the endpoint pages */
  count?: { default: number; max: number };
  params: readonly string[];
  /** v1.1 counts a user's requests across apps (§10.1) */
  perApp: false;
}

/** An endpoint counted in a 15-minute window (reads; writes have daily limits only). */
export const isCounted = (e: V1Endpoint): e is V1Endpoint & { rateKey: string } => e.rateKey !== undefined;

const ID_LIST = ['user_id', 'screen_name', 'cursor', 'stringify_ids', 'count'];
const USER_LIST = ['user_id', 'screen_name', 'cursor', 'count', 'skip_status', 'include_user_entities'];
const OWN_IDS = ['cursor', 'stringify_ids', 'count'];
const OWN_USERS = ['cursor', 'count', 'include_entities', 'skip_status'];
const TARGET = ['user_id', 'screen_name', 'include_entities', 'skip_status'];
const LEGACY_TARGET = [...TARGET, 'id'];
const REQUESTS = 'Twitter answered follow requests only in its own apps; a self-hosted graph needs an API for it.';

const IDS_PAGE = { default: 5000, max: 5000 };
const USERS_PAGE = { default: 20, max: 200 };
const SEARCH_PAGE = { default: 20, max: 20 };

const read = (name: string, family: string, userLimit: number, appLimit: number | null, params: readonly string[], rateKey = `/${name}`): V1Endpoint =>
  ({ name, methods: ['GET'], family, rateKey, userLimit, appLimit, write: false, params, perApp: false });
const paged = (e: V1Endpoint, count: { default: number; max: number }): V1Endpoint => ({ ...e, count });
const write = (name: string, params: readonly string[], extension?: string): V1Endpoint =>
  ({ name, methods: ['POST'], family: name.split('/')[0]!, appLimit: null, write: true, params, extension, perApp: false });

export const V1_ENDPOINTS: readonly V1Endpoint[] = [
  paged(read('followers/ids', 'followers', 15, 15, ID_LIST), IDS_PAGE),
  paged(read('followers/list', 'followers', 15, 15, USER_LIST), USERS_PAGE),
  paged(read('friends/ids', 'friends', 15, 15, ID_LIST), IDS_PAGE),
  paged(read('friends/list', 'friends', 15, 15, USER_LIST), USERS_PAGE),
  paged(read('friendships/incoming', 'friendships', 15, null, OWN_IDS), IDS_PAGE),
  paged(read('friendships/outgoing', 'friendships', 15, null, OWN_IDS), IDS_PAGE),
  read('friendships/lookup', 'friendships', 15, null, ['user_id', 'screen_name']),
  read('friendships/no_retweets/ids', 'friendships', 15, null, ['stringify_ids']),
  read('friendships/show', 'friendships', 180, 15, ['source_id', 'source_screen_name', 'target_id', 'target_screen_name']),
  write('friendships/create', ['user_id', 'screen_name', 'follow']),
  write('friendships/destroy', ['user_id', 'screen_name', 'id']),
  write('friendships/update', ['user_id', 'screen_name', 'device', 'retweets']),
  write('friendships/accept', ['user_id', 'screen_name'], REQUESTS),
  write('friendships/deny', ['user_id', 'screen_name'], REQUESTS),
  write('friendships/cancel', ['user_id', 'screen_name'], REQUESTS),
  write('friendships/accept_all', [], REQUESTS),
  { ...read('users/lookup', 'users', 900, 300, ['user_id', 'screen_name', 'include_entities', 'tweet_mode', 'skip_status']), methods: ['GET', 'POST'] },
  paged(read('users/search', 'users', 900, null, ['q', 'page', 'count', 'include_entities', 'tweet_mode']), SEARCH_PAGE),
  read('users/show', 'users', 900, 900, ['user_id', 'screen_name', 'include_entities', 'tweet_mode', 'skip_status'], '/users/show/:id'),
  write('blocks/create', LEGACY_TARGET),
  write('blocks/destroy', LEGACY_TARGET),
  paged(read('blocks/ids', 'blocks', 15, null, OWN_IDS), IDS_PAGE),
  paged(read('blocks/list', 'blocks', 15, null, OWN_USERS), USERS_PAGE),
  write('mutes/users/create', LEGACY_TARGET),
  write('mutes/users/destroy', LEGACY_TARGET),
  paged(read('mutes/users/ids', 'mutes', 15, null, OWN_IDS), IDS_PAGE),
  paged(read('mutes/users/list', 'mutes', 15, null, OWN_USERS), USERS_PAGE),
  { ...read('account/verify_credentials', 'account', 75, null, ['include_entities', 'skip_status', 'include_email']), allowSuspended: true },
  read('application/rate_limit_status', 'application', 180, 180, ['resources']),
];

export const v1Path = (e: V1Endpoint) => `/1.1/${e.name}.json`;
