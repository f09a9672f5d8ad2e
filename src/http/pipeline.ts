// One straight path for every API request, v1.1 and v2 alike: decode, authenticate, check
// access, count against the rate limit, parse the endpoint's parameters, run the endpoint, reply. The route's dialect words each
// refusal and error in its API's format; nothing here knows which API it serves.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../auth/authenticate.js';
import { limitFor, type RateLimited } from '../limits/buckets.js';
import { observeAuth } from '../observability/caller.js';
import type { Json } from '../wire/json.js';
import type { Services } from './deps.js';
import type { Dialect, Refusal } from './dialect.js';
import { decodeIncoming, UndecodableError, type Incoming } from './incoming.js';
import { setRateLimitHeaders } from './rate-limit-headers.js';
import { signedUrls } from './request-url.js';

/** What the pipeline reads of an endpoint's declaration (both endpoint tables have it). */
export interface AccessRules {
  /** requests per 15-minute window per user; absent: not counted for users */
  userLimit?: number;
  /** per app under app-only auth; null: app-only callers are refused */
  appLimit: number | null;
  /** needs a token with write access, and an account that is not locked */
  write: boolean;
  /** the OAuth 2.0 scopes it needs; absent: OAuth 2.0 user tokens are not taken (v1.1, §7.1) */
  scopes?: readonly string[];
  /** answers callers whose account is suspended (verify_credentials) */
  allowSuspended?: boolean;
  /** takes app-only bearers alone */
  appOnly?: boolean;
}

/** What a handler returns when it has answered itself (a stream it writes as it goes). */
export const ANSWERED = Symbol('answered');

export interface ApiRoute<C, P = unknown> {
  endpoint: AccessRules;
  /** the endpoint's 15-minute window, or null when it is not counted (v1.1 writes) */
  rate: RateLimited | null;
  dialect: Dialect;
  /** the parameter step: the endpoint's declared parameters, parsed once (bad ones throw the API's error) */
  parse(req: FastifyRequest, incoming: Incoming, caller: Caller): P;
  /** the handler's view of an admitted request: the parsed parameters, the viewer, and so on */
  context(services: Services, req: FastifyRequest, params: P, caller: Caller, reply: FastifyReply): C;
  handler(ctx: C): Promise<Json | typeof ANSWERED>;
}

export interface PipelineHooks {
  /**
   * Runs once authentication has answered (caller null when it failed), before access and
   * limits: emulator mode answers scripted faults here. True when it answered the request.
   */
  admitted?(req: FastifyRequest, reply: FastifyReply, caller: Caller | null, route: ApiRoute<unknown, unknown>): Promise<boolean>;
}

/** Why a caller may not use an endpoint, in the order the checks are made; null: it may. */
export function refusalOf(caller: Caller, e: AccessRules, limit: number | null): Refusal | null {
  if (caller.kind === 'app') return limit === null ? 'app-only' : null;
  if (e.appOnly) return caller.kind === 'user' ? 'oauth1-user-context' : 'oauth2-user-context';
  if (caller.kind === 'oauth2-user') {
    if (e.scopes === undefined) return 'oauth2-user';
    for (const s of e.scopes) if (!caller.scopes.includes(s)) return 'scope';
  } else if (e.write && caller.token.accessLevel === 'read') {
    return 'read-only';
  }
  if (caller.user.state === 'suspended' && !e.allowSuspended) return 'suspended';
  if (caller.user.locked && e.write) return 'locked';
  return null;
}

async function authenticate(services: Services, req: FastifyRequest, incoming: Incoming): Promise<Caller> {
  return observeAuth(req, services.auth.authenticate({
    method: req.method,
    authorization: req.headers.authorization,
    baseUrls: signedUrls(req, services.config),
    query: incoming.query,
    body: incoming.body,
  }));
}

export async function runApiRequest<C, P>(
  route: ApiRoute<C, P>, services: Services, hooks: PipelineHooks, req: FastifyRequest, reply: FastifyReply,
): Promise<FastifyReply> {
  const d = route.dialect;
  // Once per request: another process's commits before now are seen by every read below.
  services.store.refresh?.();
  try {
    let incoming: Incoming;
    try {
      incoming = decodeIncoming(req);
    } catch (err) {
      throw err instanceof UndecodableError ? d.undecodable() : err;
    }
    let caller: Caller;
    try {
      caller = await authenticate(services, req, incoming);
    } catch (err) {
      if (hooks.admitted && await hooks.admitted(req, reply, null, route as ApiRoute<unknown, unknown>)) return reply;
      throw d.authFailed(err);
    }
    d.callerHeaders(reply, caller);
    if (hooks.admitted && await hooks.admitted(req, reply, caller, route as ApiRoute<unknown, unknown>)) return reply;

    const limit = limitFor(caller, route.endpoint);
    const refusal = refusalOf(caller, route.endpoint, limit);
    if (refusal !== null) throw d.refused(refusal);
    if (route.rate !== null && limit !== null) {
      const state = await services.limiter.consume(caller, route.rate, limit);
      setRateLimitHeaders(reply, state);
      if (state.exceeded) throw d.rateLimited(reply, state, services.clock.now());
    }
    const params = route.parse(req, incoming, caller);
    const run = () => route.handler(route.context(services, req, params, caller, reply));
    // With replicas, the handler's reads may go to one that has replayed this caller's own writes.
    // (Without, no scope: AsyncLocalStorage costs every promise a little.)
    const userId = caller.kind === 'app' ? null : caller.user.id;
    const body = await (services.readScope ? services.readScope(userId, run) : run());
    return body === ANSWERED ? reply : d.sendOk(reply, body);
  } catch (err) {
    return d.sendError(reply, err, req);
  }
}
