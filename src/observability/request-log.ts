// One log line per request (method, route template, status, latency, caller kind, request id),
// in place of Fastify's own two lines, and the logger they go through. Nothing a client sends
// is logged verbatim: not the URL (its query may carry oauth_* values), headers or bodies.
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pino, type ChildLoggerOptions, type DestinationStream, type Logger } from 'pino';

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

/** The request log line, when the logger writes lines at info. */
export function logRequest(req: FastifyRequest, reply: FastifyReply): void {
  // Fastify's stand-in when logging is off has no isLevelEnabled; pino's and LazyChild's do.
  const log = req.log as Partial<Logger>;
  if (!log.isLevelEnabled?.('info')) return;
  req.log.info({
    method: req.method, route: routeOf(req), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100,
    caller: req.callerKind, ...(req.authFailure ? { authFailure: req.authFailure } : {}),
  }, 'request');
}

export function registerRequestId(app: FastifyInstance): void {
  // Callback style: an async hook costs a promise per request.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header(REQUEST_ID_HEADER, req.id);
    done();
  });
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/**
 * A request's logger, made only when something logs through it: pino's child() serializes its
 * bindings at once, a cost every request paid for a line most never write (only errors and, at
 * info, the request line do).
 */
class LazyChild {
  private made: Logger | null = null;
  constructor(private readonly parent: Logger, private readonly bindings: Record<string, unknown>, private readonly opts: ChildLoggerOptions) {}
  private get real(): Logger { return (this.made ??= this.parent.child(this.bindings, this.opts)); }
  get level(): string { return this.parent.level; }
  set level(level: string) { this.real.level = level; }
  isLevelEnabled(level: string): boolean { return this.parent.isLevelEnabled(level); }
  child(bindings: Record<string, unknown>, opts?: ChildLoggerOptions): Logger { return this.real.child(bindings, opts); }
  silent(): void {}
}
for (const level of LEVELS) {
  Object.defineProperty(LazyChild.prototype, level, {
    value(this: LazyChild, ...args: unknown[]) {
      if (!this.isLevelEnabled(level)) return;
      const real = (this as unknown as { real: Logger }).real;
      (real[level] as (...a: unknown[]) => void)(...args);
    },
  });
}

/** Fastify's childLoggerFactory: a LazyChild in place of a pino child per request. */
export function lazyChildLogger(logger: FastifyBaseLogger, bindings: Record<string, unknown>, opts: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChild(logger as unknown as Logger, bindings, opts) as unknown as FastifyBaseLogger;
}
