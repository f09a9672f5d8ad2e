// One log line per request (method, route template, status, latency, caller kind, request id),
// in place of Fastify's own two lines, and the logger they go through. Nothing a client sends
// is logged verbatim: not the URL (its query may carry oauth_* values), headers or bodies.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';

/** The response header carrying the request id (Twitter's name for it). */
export const REQUEST_ID_HEADER = 'x-transaction-id';

/** Random bytes drawn 4 KB at a time: one draw per request cost more than the id is worth. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

export function newRequestId(): string {
  if (used + 8 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  used += 8;
  return pool.toString('hex', used - 8, used);
}

/** Where a logged value could still hold a credential, it is replaced wholesale. */
const REDACT = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]', 'req.url', 'req.query', 'req.body',
  'res.headers["set-cookie"]', 'headers.authorization', 'headers.cookie', 'password', '*.password', 'token', '*.token',
  'secret', '*.secret', 'consumerSecret', '*.consumerSecret', 'bearerToken', '*.bearerToken',
];

export function createLogger(level: string, destination: DestinationStream = pino.destination(1)): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}

/** The route template a request matched ("/1.1/users/show.json", "/2/users/:id"), never the raw path. */
export function routeOf(req: FastifyRequest): string {
  return req.routeOptions.url ?? '(unmatched)';
}

export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    reply.header(REQUEST_ID_HEADER, req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({
      method: req.method, route: routeOf(req), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100,
      caller: req.callerKind, ...(req.authFailure ? { authFailure: req.authFailure } : {}),
    }, 'request');
  });
}
