// One straight path per v1.1 request: decode, authenticate, check access, count against the
// rate limit, run the endpoint, reply. Errors come out in Twitter's format at every step.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bucketKey, limitFor } from '../../limits/buckets.js';
import { setRateLimitHeaders } from '../rate-limit-headers.js';
import { observeAuth } from '../../observability/caller.js';
import { V1, V1Error, V1LegacyError } from '../../wire/v1/errors.js';
import type { Services } from '../deps.js';
import { decodeIncoming, UndecodableError } from '../incoming.js';
import { Params } from '../params.js';
import { assetHosts, pathOf, signedUrls } from '../request-url.js';
import { v1AuthError } from './auth-errors.js';
import type { V1Context } from './context.js';
import { V1_ENDPOINTS, v1Path, type V1Endpoint } from './endpoints.js';
import { sendJson, sendV1Error } from './reply.js';

async function handle(e: V1Endpoint, services: Services, req: FastifyRequest, reply: FastifyReply): Promise<V1Context> {
  let incoming;
  try {
    incoming = decodeIncoming(req);
  } catch (err) {
    if (err instanceof UndecodableError) throw new V1Error(V1.badUrlParameter);
    throw err;
  }
  const caller = await observeAuth(req, services.auth.authenticate({
    method: req.method,
    authorization: req.headers.authorization,
    baseUrls: signedUrls(req, services.config),
    query: incoming.query,
    body: incoming.body,
  })).catch((err: unknown) => { throw v1AuthError(err); });

  // v1.1 never took OAuth 2.0 user tokens for this surface (§7.1).
  if (caller.kind === 'oauth2-user') throw new V1Error(V1.credentialsNotAllowed);
  if (caller.kind === 'user') reply.header('x-access-level', caller.token.accessLevel);
  const limit = limitFor(caller, e);
  if (caller.kind === 'app' && limit === null) throw new V1Error(V1.credentialsNotAllowed);
  if (caller.kind === 'user') {
    if (e.write && caller.token.accessLevel === 'read') throw new V1LegacyError('Read-only application cannot POST.');
    if (caller.user.state === 'suspended' && !e.allowSuspended) throw new V1Error(V1.callerSuspended);
    if (caller.user.locked && e.write) throw new V1Error(V1.accountLocked);
  }
  if (e.rateKey && limit !== null) {
    const state = await services.limiter.consume(bucketKey(caller, e.rateKey), limit);
    setRateLimitHeaders(reply, state);
    if (state.exceeded) {
      reply.header('retry-after', String(Math.max(0, state.reset - Math.floor(services.clock.now() / 1000))));
      throw new V1Error(V1.rateLimited);
    }
  }
  return {
    services,
    endpoint: e,
    params: new Params(incoming.values),
    caller,
    viewer: caller.kind === 'user' ? caller.user : null,
    assets: assetHosts(req, services.config),
    path: pathOf(req),
  };
}

export function registerV1(app: FastifyInstance, services: Services): void {
  for (const e of V1_ENDPOINTS) {
    app.route({
      method: [...e.methods],
      url: v1Path(e),
      handler: async (req, reply) => {
        try {
          const ctx = await handle(e, services, req, reply);
          return sendJson(reply, 200, await e.handler(ctx));
        } catch (err) {
          return sendV1Error(reply, err, pathOf(req));
        }
      },
    });
  }
}
