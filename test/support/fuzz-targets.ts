// Every route roost serves, as fuzz targets: the v1.1 and v2 endpoint tables, the OAuth token
// endpoints and the sign-in pages. Each names the credentials it is normally called with, so
// that most generated requests get past authentication and reach the handler.
import { V1_ENDPOINTS, v1Path } from '../../src/http/v1/endpoints.js';
import { V2_ENDPOINTS } from '../../src/http/v2/endpoints.js';

/**
 * How a request is authenticated: OAuth 1.0a as a user (or badly signed), consumer-only OAuth 1.0a
 * (request_token), the app's bearer, an OAuth 2.0 user token, Basic with the consumer key
 * (/oauth2/*) or the OAuth 2.0 client id (/2/oauth2/*), or nothing.
 */
export type AuthMode = 'oauth1' | 'oauth1-badsig' | 'oauth1-consumer' | 'bearer-app' | 'bearer-user' | 'basic-consumer' | 'basic-client' | 'none';

export type Family = 'v1' | 'v2' | 'oauth' | 'page';

export interface FuzzTarget {
  family: Family;
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify-style path: `:name` segments are filled from the grammar */
  path: string;
  params: readonly string[];
  /** v2 writes take a JSON body with these keys */
  jsonKeys?: readonly string[];
  auth: readonly AuthMode[];
  /** a valid call would revoke the credentials the rest of the run uses: always signed badly */
  destructive?: boolean;
}

const API_AUTH: AuthMode[] = ['oauth1', 'oauth1', 'oauth1', 'oauth1-badsig', 'bearer-app', 'bearer-user', 'none'];

const v1 = V1_ENDPOINTS.flatMap((e): FuzzTarget[] => e.methods.map((method) => ({
  family: 'v1', name: `${method} ${e.name}`, method, path: v1Path(e), params: e.params.map((p) => p.name), auth: API_AUTH,
})));

const v2 = V2_ENDPOINTS.map((e): FuzzTarget => ({
  family: 'v2', name: `${e.method} ${e.path}`, method: e.method, path: e.path, params: e.params.filter((p) => p.in === 'query').map((p) => p.name),
  jsonKeys: e.method === 'POST' ? ['target_user_id'] : undefined, auth: [...API_AUTH, 'bearer-user', 'bearer-user'],
}));

const AUTHORIZE2 = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'];
const oauth: FuzzTarget[] = [
  { family: 'oauth', name: 'request_token', method: 'POST', path: '/oauth/request_token', params: ['oauth_callback', 'x_auth_access_type'], auth: ['oauth1-consumer', 'oauth1-consumer', 'oauth1-badsig', 'none'] },
  { family: 'oauth', name: 'access_token', method: 'POST', path: '/oauth/access_token', params: ['oauth_token', 'oauth_verifier'], auth: ['oauth1', 'oauth1-consumer', 'none'] },
  { family: 'oauth', name: 'oauth2/token', method: 'POST', path: '/oauth2/token', params: ['grant_type'], auth: ['basic-consumer', 'basic-consumer', 'basic-client', 'none'] },
  { family: 'oauth', name: 'oauth2/invalidate_token', method: 'POST', path: '/oauth2/invalidate_token', params: ['access_token'], auth: ['basic-consumer', 'oauth1', 'none'] },
  { family: 'oauth', name: 'oauth/invalidate_token', method: 'POST', path: '/oauth/invalidate_token', params: [], auth: ['oauth1-badsig', 'none'], destructive: true },
  { family: 'oauth', name: '2/oauth2/token', method: 'POST', path: '/2/oauth2/token', params: ['grant_type', 'code', 'code_verifier', 'redirect_uri', 'refresh_token', 'client_id'], auth: ['basic-client', 'basic-client', 'basic-consumer', 'none'] },
  { family: 'oauth', name: '2/oauth2/revoke', method: 'POST', path: '/2/oauth2/revoke', params: ['token', 'token_type_hint', 'client_id'], auth: ['basic-client', 'none'] },
];

const pages: FuzzTarget[] = [
  ...['/oauth/authorize', '/oauth/authenticate'].map((path): FuzzTarget => ({ family: 'page', name: `GET ${path}`, method: 'GET', path, params: ['oauth_token', 'force_login', 'screen_name'], auth: ['none'] })),
  ...['/i/oauth2/authorize', '/2/oauth2/authorize'].map((path): FuzzTarget => ({ family: 'page', name: `GET ${path}`, method: 'GET', path, params: AUTHORIZE2, auth: ['none'] })),
  { family: 'page', name: 'POST /oauth/authorize', method: 'POST', path: '/oauth/authorize', params: ['oauth_token', 'csrf_token', 'decision'], auth: ['none'] },
  { family: 'page', name: 'POST /i/oauth2/authorize', method: 'POST', path: '/i/oauth2/authorize', params: ['request', 'csrf_token', 'decision'], auth: ['none'] },
  { family: 'page', name: 'POST /i/sign-in', method: 'POST', path: '/i/sign-in', params: ['screen_name', 'password', 'csrf_token', 'return_to'], auth: ['none'] },
];

export const FUZZ_TARGETS: readonly FuzzTarget[] = [...v1, ...v2, ...oauth, ...pages];

/** Methods no route answers, for requests that pick the wrong one. */
export const ODD_METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'] as const;
