// The endpoint tables as the request builder reads them: method, path, limits, the credentials
// each takes, its parameters and (v2) its JSON body's members.
import type { FastifyInstance } from 'fastify';
import { V1_ENDPOINTS, v1Path } from '../http/v1/endpoints.js';
import { bodyMembers, credentialKinds, V2_ENDPOINTS } from '../http/v2/endpoints.js';
import type { Json } from '../wire/json.js';
import { guardedRoute, sendJson, type ConsoleContext } from './router.js';

function table(): Json {
  const v1 = V1_ENDPOINTS.flatMap((e) => e.methods.map((method) => ({
    api: 'v1.1', method, path: v1Path(e), user_limit: e.userLimit ?? null, app_limit: e.appLimit, write: e.write,
    auth: ['oauth1', ...(e.appLimit === null ? [] : ['app-only'])], scopes: [], body: [],
    params: e.params.map((p) => ({ name: p.name, type: p.type, ...('default' in p ? { default: p.default } : {}), ...('min' in p ? { min: p.min, max: p.max } : {}) })),
  })));
  const v2 = V2_ENDPOINTS.map((e) => ({
    api: 'v2', method: e.method, path: e.path, user_limit: e.appOnly ? null : e.userLimit, app_limit: e.appLimit, write: e.write,
    auth: credentialKinds(e), scopes: [...(e.scopes ?? [])], body: [...bodyMembers(e)],
    params: e.params.map((p) => ({ name: p.name, in: p.in, type: p.type, ...('default' in p ? { default: p.default } : {}), ...('min' in p ? { min: p.min, max: p.max } : {}) })),
  }));
  return [...v1, ...v2] as Json;
}

export function registerEndpoints(app: FastifyInstance, ctx: ConsoleContext): void {
  const endpoints = table();
  guardedRoute(app, ctx, 'GET', 'endpoints', async (_req, reply) => sendJson(reply, 200, { endpoints }));
}
