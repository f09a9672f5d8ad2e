// v2's side of the request path: problem objects (§3.7, §5) and x-access-level (§1.3).
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { AuthError, type Caller } from '../../auth/authenticate.js';
import { encodeJson, toJson } from '../../wire/json.js';
import {
  forbidden, httpProblem, internalError, invalidRequest, notPermitted, oauth1Permissions, tooManyRequests, unauthorized,
  unsupportedAuthentication, V2Problem,
} from '../../wire/v2/problems.js';
import type { Dialect, Refusal } from '../dialect.js';

const SUCCESS_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache, no-store, max-age=0', 'x-content-type-options': 'nosniff' };
const PROBLEM_HEADERS = { ...SUCCESS_HEADERS, 'content-type': 'application/problem+json' };

function refused(reason: Refusal): Error {
  switch (reason) {
    case 'app-only':
    case 'oauth2-user': return unsupportedAuthentication();
    case 'scope': return forbidden();
    case 'read-only': return oauth1Permissions();
    case 'suspended':
    case 'locked': return notPermitted();
  }
}

function sendProblem(reply: FastifyReply, err: unknown): FastifyReply {
  const problem = err instanceof V2Problem ? err : internalError();
  if (!(err instanceof V2Problem)) reply.log.error({ err }, 'unhandled error');
  // A Buffer: Fastify would append "; charset=utf-8" to a string's type, and Twitter sent none (§1.3).
  return reply.code(problem.status).headers(PROBLEM_HEADERS).send(Buffer.from(toJson(problem.body)));
}

export const V2_DIALECT: Dialect = {
  undecodable: () => invalidRequest([{ parameters: {}, message: 'The query string could not be decoded' }]),
  authFailed: (err) => (err instanceof AuthError ? unauthorized() : err),
  refused,
  rateLimited: () => tooManyRequests(),
  callerHeaders(reply, caller) {
    if (caller.kind === 'user') reply.header('x-access-level', caller.token.accessLevel);
  },
  sendOk: (reply, body) => reply.code(200).headers(SUCCESS_HEADERS).send(encodeJson(body)),
  sendError: (reply, err) => sendProblem(reply, err),
  sendStatus: (reply, status) => sendProblem(reply, status === 429 ? tooManyRequests() : httpProblem(status, STATUS_CODES[status] ?? 'Bad Request')),
};
