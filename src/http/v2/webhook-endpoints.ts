// The webhook and Account Activity endpoints of the v2 table (endpoints.ts), with the credentials
// X's OpenAPI document gives each: webhooks are the app's (app-only bearer, or an OAuth 1.0a
// user of the app where the document allows it); subscribing and checking a subscription act
// for a user (OAuth 1.0a, or OAuth 2.0 with the scopes the document lists).
import type { V2Endpoint } from './endpoints.js';
import type { V2Param } from './params.js';

const WEBHOOK_ID: V2Param = { name: 'webhook_id', in: 'path', type: 'id' };
const AAA_SCOPES = ['tweet.read', 'users.read', 'dm.read', 'dm.write'];

const app = (method: V2Endpoint['method'], path: string, limit: number, params: V2Param[], opts: Partial<V2Endpoint> = {}): V2Endpoint => ({
  method, path, userLimit: limit, appLimit: limit, appOnly: true, write: method !== 'GET', params,
  rateKey: `${method} ${path}`, perApp: true, ...opts,
});
const user = (method: V2Endpoint['method'], path: string, limit: number): V2Endpoint => ({
  method, path, userLimit: limit, appLimit: null, scopes: AAA_SCOPES, write: method !== 'GET', params: [WEBHOOK_ID],
  rateKey: `${method} ${path}`, perApp: true, body: [], // subscribing takes an empty body
});

export const WEBHOOK_ENDPOINTS: readonly V2Endpoint[] = [
  app('GET', '/2/webhooks', 15, [{ name: 'webhook_config.fields', in: 'query', type: 'fields' }]),
  // The document takes an OAuth 1.0a user of the app as well as the app's bearer for these three.
  app('POST', '/2/webhooks', 15, [], { appOnly: false, body: ['url'] }),
  app('PUT', '/2/webhooks/:webhook_id', 15, [WEBHOOK_ID], { appOnly: false }),
  app('DELETE', '/2/webhooks/:webhook_id', 15, [WEBHOOK_ID], { appOnly: false }),
  app('POST', '/2/webhooks/replay', 15, [], { body: ['webhook_id', 'from_date', 'to_date'] }),
  user('POST', '/2/account_activity/webhooks/:webhook_id/subscriptions/all', 500),
  user('GET', '/2/account_activity/webhooks/:webhook_id/subscriptions/all', 500),
  app('GET', '/2/account_activity/webhooks/:webhook_id/subscriptions/all/list', 50, [WEBHOOK_ID]),
  app('DELETE', '/2/account_activity/webhooks/:webhook_id/subscriptions/:user_id/all', 500, [WEBHOOK_ID, { name: 'user_id', in: 'path', type: 'id' }]),
  app('GET', '/2/account_activity/subscriptions/count', 5, []),
];
