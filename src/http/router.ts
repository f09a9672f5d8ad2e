// The API routes: every endpoint of both tables, bound to its handler and run by the one
// pipeline (pipeline.ts) in its API's dialect; plus the answers for a wrong method on a v1.1
// path and for the /2/users/<word> paths X has and roost does not serve.
import type { FastifyInstance } from 'fastify';
import { V1, V1Error } from '../wire/v1/errors.js';
import type { Services } from './deps.js';
import { Args } from './params.js';
import { runApiRequest, type ApiRoute, type PipelineHooks } from './pipeline.js';
import { v1Context, type V1Context } from './v1/context.js';
import { V1_DIALECT } from './v1/dialect.js';
import { isCounted, V1_ENDPOINTS, v1Path, type V1Endpoint } from './v1/endpoints.js';
import { V1_HANDLERS } from './v1/handlers.js';
import { v2Args, v2Context, type V2Context } from './v2/context.js';
import { V2_DIALECT } from './v2/dialect.js';
import { UNSERVED_V2_PATHS, V2_ENDPOINTS, type V2Endpoint } from './v2/endpoints.js';
import { V2_HANDLERS } from './v2/handlers.js';
import type { V2Args } from './v2/params.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** a route the pipeline runs (emulator mode leaves its faults to the pipeline's hook there) */
    api?: boolean;
  }
}

const API_ROUTE = { api: true };

function handlerOf<H>(handlers: Readonly<Record<string, H>>, name: string): H {
  const h = handlers[name];
  if (!h) throw new Error(`no handler for endpoint ${name}`);
  return h;
}

function v1Route(e: V1Endpoint): ApiRoute<V1Context, Args> {
  return {
    endpoint: e, rate: isCounted(e) ? e : null, dialect: V1_DIALECT,
    parse: (_req, incoming) => Args.parse(e.params, incoming.values),
    context: (services, req, args, caller) => v1Context(e, services, req, args, caller),
    handler: handlerOf(V1_HANDLERS, e.name),
  };
}

function v2Route(e: V2Endpoint): ApiRoute<V2Context, V2Args> {
  return {
    endpoint: e, rate: e, dialect: V2_DIALECT,
    parse: (req, incoming, caller) => v2Args(e, req, incoming, caller),
    context: (services, req, args, caller, reply) => v2Context(services, req, args, caller, reply),
    handler: handlerOf(V2_HANDLERS, e.rateKey),
  };
}

/** v1 answered a method the route does not take with code 86, naming the one it does. */
function wrongMethod(e: V1Endpoint): { methods: string[]; error: V1Error } | null {
  const methods = (['GET', 'POST'] as const).filter((m) => !e.methods.includes(m));
  if (methods.length === 0) return null;
  const message = e.methods.includes('GET') ? 'This method requires a GET or HEAD.' : 'This method requires a POST.';
  return { methods, error: new V1Error(V1.wrongMethod, message) };
}

export function registerApi(app: FastifyInstance, services: Services, hooks: PipelineHooks): void {
  for (const e of V1_ENDPOINTS) {
    const route = v1Route(e);
    app.route({ method: [...e.methods], url: v1Path(e), config: API_ROUTE, handler: (req, reply) => runApiRequest(route, services, hooks, req, reply) });
    const wrong = wrongMethod(e);
    if (wrong) app.route({ method: wrong.methods, url: v1Path(e), handler: (req, reply) => V1_DIALECT.sendError(reply, wrong.error, req) });
  }
  for (const e of V2_ENDPOINTS) {
    const route = v2Route(e);
    app.route({ method: e.method, url: e.path, config: API_ROUTE, handler: (req, reply) => runApiRequest(route, services, hooks, req, reply) });
  }
  for (const path of UNSERVED_V2_PATHS) app.all(path, (_req, reply) => V2_DIALECT.sendStatus(reply, 404));
}
