// The sizes and timeouts that keep one slow or oversized client from holding the server
// (numbers in docs/operations.md, settings in src/config.ts), and the parameter-count limit.
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { ServerOptions } from 'node:http';
import type { HttpLimits } from '../config.js';
import { isForm } from './incoming.js';
import { rawQuery } from './request-url.js';

export function serverLimits(l: HttpLimits): Partial<FastifyServerOptions> & { http: ServerOptions } {
  return {
    bodyLimit: l.bodyBytes,
    connectionTimeout: l.idleTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    requestTimeout: l.requestTimeoutMs,
    maxRequestsPerSocket: l.maxRequestsPerSocket,
    http: {
      maxHeaderSize: l.headerBytes,
      headersTimeout: l.headersTimeoutMs,
      requestTimeout: l.requestTimeoutMs,
      // How often Node looks for requests past their timeouts (its default is every 30 s).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(l.headersTimeoutMs / 4))),
    },
  };
}

/** Raised for a request with more query and form parameters than allowed. */
export class TooManyParamsError extends Error {
  readonly statusCode = 400;
}

/** Non-empty `&`-separated pieces, counted without splitting. */
function countPairs(raw: string): number {
  let n = 0;
  let start = 0;
  for (;;) {
    const end = raw.indexOf('&', start);
    const stop = end === -1 ? raw.length : end;
    if (stop > start) n++;
    if (end === -1) return n;
    start = end + 1;
  }
}

export function limitParams(app: FastifyInstance, max: number): void {
  app.addHook('preValidation', (req, _reply, done) => {
    const body = typeof req.body === 'string' && isForm(req) ? req.body : '';
    if (countPairs(rawQuery(req)) + countPairs(body) > max) return done(new TooManyParamsError(`more than ${max} parameters`));
    done();
  });
}
