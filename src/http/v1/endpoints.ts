// Every v1.1 endpoint roost serves, declared once as plain data: the request pipeline, the rate
// limiter, application/rate_limit_status, the emulator's rules and docs/api.md all read this
// table (§10.4, §14). Handlers are bound to it by name in handlers.ts.
import type { ParamSpec } from '../params.js';

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
  /** its parameters, typed, with their ranges and defaults; the pipeline parses them (params.ts) */
  params: readonly ParamSpec[];
  /** v1.1 counts a user's requests across apps (§10.1) */
  perApp: false;
}

/** An endpoint counted in a 15-minute window (reads; writes have daily limits only). */
export const isCounted = (e: V1Endpoint): e is V1Endpoint & { rateKey: string } => e.rateKey !== undefined;

const text = (name: string, more: Partial<ParamSpec> = {}): ParamSpec => ({ name, type: 'text', ...more } as ParamSpec);
const list = (name: string): ParamSpec => ({ name, type: 'list' });
const flag = (name: string, on = false): ParamSpec => ({ name, type: 'flag', default: on });
const tristate = (name: string): ParamSpec => ({ name, type: 'tristate' });
const count = (dflt: number, max: number): ParamSpec => ({ name: 'count', type: 'int', default: dflt, min: 1, max });
const CURSOR: ParamSpec = { name: 'cursor', type: 'cursor' };
/** Read nowhere: roost stores no tweets (skip_status, tweet_mode). */
const ignored = (name: string): ParamSpec => ({ name, type: 'text' });

const USER = [text('user_id'), text('screen_name')];
/** Writes also take a legacy `id` (§3.4), an id or else a screen name. */
const LEGACY_ID = text('id', { unlisted: true });
/** The written user's object answers with entities unless this is false. */
const WRITE_ENTITIES: ParamSpec = { name: 'include_entities', type: 'flag', default: true, unlisted: true };
const IDS_COUNT = count(5000, 5000);
const USERS_COUNT = count(20, 200);
const ID_LIST = [...USER, CURSOR, flag('stringify_ids'), IDS_COUNT];
const USER_LIST = [...USER, CURSOR, USERS_COUNT, ignored('skip_status'), flag('include_user_entities', true)];
const OWN_IDS = [CURSOR, flag('stringify_ids'), IDS_COUNT];
const OWN_USERS = [CURSOR, USERS_COUNT, flag('include_entities', true), ignored('skip_status')];
const TARGET = [...USER, flag('include_entities', true), ignored('skip_status')];
const WRITE_TARGET = [...TARGET, text('id')];
const REQUESTS = 'Twitter answered follow requests only in its own apps; a self-hosted graph needs an API for it.';

const read = (name: string, family: string, userLimit: number, appLimit: number | null, params: readonly ParamSpec[], rateKey = `/${name}`): V1Endpoint =>
  ({ name, methods: ['GET'], family, rateKey, userLimit, appLimit, write: false, params, perApp: false });
const write = (name: string, params: readonly ParamSpec[], extension?: string): V1Endpoint =>
  ({ name, methods: ['POST'], family: name.split('/')[0]!, appLimit: null, write: true, params, extension, perApp: false });

export const V1_ENDPOINTS: readonly V1Endpoint[] = [
  read('followers/ids', 'followers', 15, 15, ID_LIST),
  read('followers/list', 'followers', 15, 15, USER_LIST),
  read('friends/ids', 'friends', 15, 15, ID_LIST),
  read('friends/list', 'friends', 15, 15, USER_LIST),
  read('friendships/incoming', 'friendships', 15, null, OWN_IDS),
  read('friendships/outgoing', 'friendships', 15, null, OWN_IDS),
  read('friendships/lookup', 'friendships', 15, null, [list('user_id'), list('screen_name')]),
  read('friendships/no_retweets/ids', 'friendships', 15, null, [flag('stringify_ids')]),
  read('friendships/show', 'friendships', 180, 15, [
    text('source_id', { alias: 'source_user_id' }), text('source_screen_name'),
    text('target_id', { alias: 'target_user_id' }), text('target_screen_name'),
  ]),
  write('friendships/create', [...USER, flag('follow'), LEGACY_ID, WRITE_ENTITIES]),
  write('friendships/destroy', [...USER, text('id'), WRITE_ENTITIES]),
  write('friendships/update', [...USER, tristate('device'), tristate('retweets'), LEGACY_ID]),
  write('friendships/accept', [...USER, LEGACY_ID, WRITE_ENTITIES], REQUESTS),
  write('friendships/deny', [...USER, LEGACY_ID, WRITE_ENTITIES], REQUESTS),
  write('friendships/cancel', [...USER, LEGACY_ID, WRITE_ENTITIES], REQUESTS),
  write('friendships/accept_all', [], REQUESTS),
  { ...read('users/lookup', 'users', 900, 300, [list('user_id'), list('screen_name'), flag('include_entities', true), ignored('tweet_mode'), ignored('skip_status')]), methods: ['GET', 'POST'] },
  read('users/search', 'users', 900, null, [text('q'), { name: 'page', type: 'int', default: 1, min: 1, max: Number.MAX_SAFE_INTEGER }, count(20, 20), flag('include_entities', true), ignored('tweet_mode')]),
  read('users/show', 'users', 900, 900, [...USER, flag('include_entities', true), ignored('tweet_mode'), ignored('skip_status')], '/users/show/:id'),
  write('blocks/create', WRITE_TARGET),
  write('blocks/destroy', WRITE_TARGET),
  read('blocks/ids', 'blocks', 15, null, OWN_IDS),
  read('blocks/list', 'blocks', 15, null, OWN_USERS),
  write('mutes/users/create', WRITE_TARGET),
  write('mutes/users/destroy', WRITE_TARGET),
  read('mutes/users/ids', 'mutes', 15, null, OWN_IDS),
  read('mutes/users/list', 'mutes', 15, null, OWN_USERS),
  // Counted in a window as Twitter listed it in rate_limit_status (15 per user), unlike the graph writes.
  {
    ...read('account/update_profile', 'account', 15, null, [text('name'), text('url'), text('location'), text('description'), flag('include_entities', true), ignored('skip_status')]),
    methods: ['POST'], write: true,
  },
  { ...read('account/verify_credentials', 'account', 75, null, [flag('include_entities', true), ignored('skip_status'), flag('include_email')]), allowSuspended: true },
  read('application/rate_limit_status', 'application', 180, 180, [list('resources')]),
];

export const v1Path = (e: V1Endpoint) => `/1.1/${e.name}.json`;
