// One straight path per v2 request: decode, authenticate, check credentials and scopes, count
// against the rate limit, validate, run, reply. Failures are problem objects (§3.7, §5).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthError } from '../../auth/authenticate.js';
import { bucketKey, limitFor } from '../../limits/buckets.js';
import { setRateLimitHeaders } from '../rate-limit-headers.js';
import { observeAuth } from '../../observability/caller.js';
import { encodeJson, toJson, type Json } from '../../wire/json.js';
import {
  forbidden, internalError, invalidRequest, notPermitted, oauth1Permissions, tooManyRequests, unauthorized,
  unsupportedAuthentication, V2Problem,
} from '../../wire/v2/problems.js';
import type { Services } from '../deps.js';
import { decodeIncoming, UndecodableError } from '../incoming.js';
import { assetHosts, signedUrls } from '../request-url.js';
import type { V2Context } from './context.js';
import { V2_ENDPOINTS, type V2Endpoint } from './endpoints.js';
import { QueryCheck } from './query.js';

const SUCCESS_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache, no-store, max-age=0', 'x-content-type-options': 'nosniff' };
const PROBLEM_HEADERS = { ...SUCCESS_HEADERS, 'content-type': 'application/problem+json' };

function parseBody(req: FastifyRequest): unknown {
  if (req.method !== 'POST' || typeof req.body !== 'string' || req.body === '') return undefined;
  try {
    return JSON.parse(req.body) as unknown;
  } catch {
    throw invalidRequest([{ parameters: {}, message: 'The request body is not valid JSON' }]);
  }
}

async function context(e: V2Endpoint, services: Services, req: FastifyRequest, reply: FastifyReply): Promise<V2Context> {
  let incoming;
  try {
    incoming = decodeIncoming(req);
  } catch (err) {
    if (err instanceof UndecodableError) throw invalidRequest([{ parameters: {}, message: 'The query string could not be decoded' }]);
    throw err;
  }
  const caller = await observeAuth(req, services.auth.authenticate({
    method: req.method, authorization: req.headers.authorization, baseUrls: signedUrls(req, services.config),
    query: incoming.query, body: incoming.body,
  })).catch((err: unknown) => { throw err instanceof AuthError ? unauthorized() : err; });

  const limit = limitFor(caller, e);
  if (caller.kind === 'app' && limit === null) throw unsupportedAuthentication();
  if (caller.kind === 'oauth2-user' && !e.scopes.every((s) => caller.scopes.includes(s))) throw forbidden();
  if (caller.kind === 'user') {
    reply.header('x-access-level', caller.token.accessLevel);
    if (e.write && caller.token.accessLevel === 'read') throw oauth1Permissions();
  }
  const viewer = caller.kind === 'app' ? null : caller.user;
  if (viewer && (viewer.state === 'suspended' || (viewer.locked && e.write))) throw notPermitted();

  const state = await services.limiter.consume(bucketKey(caller, `${e.method} ${e.path}`, true), limit!);
  setRateLimitHeaders(reply, state);
  if (state.exceeded) throw tooManyRequests();

  const path = req.params as Record<string, string>;
  const query = new QueryCheck(incoming.query.filter(([k]) => !k.startsWith('oauth_')), e.pathParams, e.query);
  if (e.callerParam && viewer) {
    const named = path[e.callerParam]!;
    if (named !== viewer.id.toString()) {
      query.fail({
        parameters: { [e.callerParam]: [named] },
        message: `The \`${e.callerParam}\` query parameter value [${named}] must be the same as the authenticating user [${viewer.id}]`,
      });
    }
  }
  return { services, caller, viewer, path, query, body: parseBody(req), assets: assetHosts(req, services.config) };
}

export function sendProblem(reply: FastifyReply, err: unknown): FastifyReply {
  const problem = err instanceof V2Problem ? err : internalError();
  if (!(err instanceof V2Problem)) reply.log.error({ err }, 'unhandled error');
  // A Buffer: Fastify would append "; charset=utf-8" to a string's type, and Twitter sent none (§1.3).
  return reply.code(problem.status).headers(PROBLEM_HEADERS).send(Buffer.from(toJson(problem.body)));
}

export function registerV2(app: FastifyInstance, services: Services): void {
  for (const e of V2_ENDPOINTS) {
    app.route({
      method: e.method,
      url: e.path,
      handler: async (req, reply) => {
        try {
          const ctx = await context(e, services, req, reply);
          const body: Json = await e.handler(ctx);
          return reply.code(200).headers(SUCCESS_HEADERS).send(encodeJson(body));
        } catch (err) {
          return sendProblem(reply, err);
        }
      },
    });
  }
}
