// v2's side of the request path: problem objects (§3.7, §5) and the headers X sends on every v2
// answer (§1.3): api-version, x-response-time and, once the caller is known, x-access-level.
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { AuthError, type Caller } from '../../auth/authenticate.js';
import { encodeJson, toJson } from '../../wire/json.js';
import {
  forbidden, httpProblem, internalError, invalidRequest, notPermitted, oauth1Permissions, tooManyRequests, unauthorized,
  unsupportedAuthentication, appOnlyAuthentication, V2Problem,
} from '../../wire/v2/problems.js';
import type { Dialect, Refusal } from '../dialect.js';

/** The last version X reported in the captures (2.27, 2.32, 2.42 over 2021-2022). */
export const API_VERSION = '2.42';

const SUCCESS_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache, no-store, max-age=0', 'x-content-type-options': 'nosniff', 'api-version': API_VERSION };
const PROBLEM_HEADERS = { ...SUCCESS_HEADERS, 'content-type': 'application/problem+json' };

function refused(reason: Refusal): Error {
  switch (reason) {
    case 'app-only':
    case 'oauth2-user': return unsupportedAuthentication();
    case 'user-context': return appOnlyAuthentication();
    case 'scope': return forbidden();
    case 'read-only': return oauth1Permissions();
    case 'suspended':
    case 'locked': return notPermitted();
  }
}

/**
 * The level X echoes: the OAuth 1.0a token's; `read` for an app-only bearer (as recorded); for
 * an OAuth 2.0 token, what its scopes allow (write scopes, then direct messages).
 */
export function accessLevelOf(caller: Caller): string {
  switch (caller.kind) {
    case 'user': return caller.token.accessLevel;
    case 'app': return 'read';
    case 'oauth2-user': {
      if (!caller.scopes.some((s) => s.endsWith('.write'))) return 'read';
      return caller.scopes.includes('dm.write') ? 'read-write-directmessages' : 'read-write';
    }
  }
}

/** Whole milliseconds since the request arrived, as X wrote them. */
const responseTime = (reply: FastifyReply) => String(Math.round(reply.elapsedTime));

function sendProblem(reply: FastifyReply, err: unknown): FastifyReply {
  const problem = err instanceof V2Problem ? err : internalError();
  if (!(err instanceof V2Problem)) reply.log.error({ err }, 'unhandled error');
  // A Buffer: Fastify would append "; charset=utf-8" to a string's type, and Twitter sent none (§1.3).
  return reply.code(problem.status).headers(PROBLEM_HEADERS).header('x-response-time', responseTime(reply))
    .send(Buffer.from(toJson(problem.body)));
}

export const V2_DIALECT: Dialect = {
  undecodable: () => invalidRequest([{ parameters: {}, message: 'The query string could not be decoded' }]),
  authFailed: (err) => (err instanceof AuthError ? unauthorized() : err),
  refused,
  rateLimited: () => tooManyRequests(),
  callerHeaders(reply, caller) {
    reply.header('x-access-level', accessLevelOf(caller));
  },
  sendOk: (reply, body) => reply.code(200).headers(SUCCESS_HEADERS).header('x-response-time', responseTime(reply)).send(encodeJson(body)),
  sendError: (reply, err) => sendProblem(reply, err),
  sendStatus: (reply, status) => sendProblem(reply, status === 429 ? tooManyRequests() : httpProblem(status, STATUS_CODES[status] ?? 'Bad Request')),
};
