// v1.1's side of the request path: error codes and the legacy body, x-access-level, retry-after.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../../auth/authenticate.js';
import type { RateState } from '../../limits/rate-limiter.js';
import { V1, V1Error, V1LegacyError } from '../../wire/v1/errors.js';
import type { Dialect, Refusal } from '../dialect.js';
import { pathOf } from '../request-url.js';
import { v1AuthError } from './auth-errors.js';
import { errorBody, sendJson, sendV1Error } from './reply.js';

function refused(reason: Refusal): Error {
  switch (reason) {
    case 'oauth2-user': // v1.1 never took OAuth 2.0 user tokens for this surface (§7.1)
    case 'app-only':
    case 'user-context':
    case 'scope': return new V1Error(V1.credentialsNotAllowed);
    case 'read-only': return new V1LegacyError('Read-only application cannot POST.');
    case 'suspended': return new V1Error(V1.callerSuspended);
    case 'locked': return new V1Error(V1.accountLocked);
  }
}

/** Statuses answered outside an endpoint, by the code Twitter used for each. */
function statusError(status: number): V1Error {
  switch (status) {
    case 404: return new V1Error(V1.pageNotFound);
    case 429: return new V1Error(V1.rateLimited);
    case 500: return new V1Error(V1.internalError);
    case 503: return new V1Error(V1.overCapacity);
    default: return new V1Error({ ...V1.badUrlParameter, status });
  }
}

export const V1_DIALECT: Dialect = {
  undecodable: () => new V1Error(V1.badUrlParameter),
  authFailed: v1AuthError,
  refused,
  rateLimited(reply: FastifyReply, state: RateState, nowMs: number): Error {
    reply.header('retry-after', String(Math.max(0, state.reset - Math.floor(nowMs / 1000))));
    return new V1Error(V1.rateLimited);
  },
  callerHeaders(reply: FastifyReply, caller: Caller): void {
    if (caller.kind === 'user') reply.header('x-access-level', caller.token.accessLevel);
  },
  sendOk: (reply, body) => sendJson(reply, 200, body),
  sendError: (reply: FastifyReply, err: unknown, req: FastifyRequest) => sendV1Error(reply, err, pathOf(req)),
  sendStatus(reply: FastifyReply, status: number): FastifyReply {
    const err = statusError(status);
    return sendJson(reply, err.def.status, errorBody(err));
  },
};
