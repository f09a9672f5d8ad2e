// The Fastify application: raw bodies (we decode forms ourselves, exactly as signed),
// Twitter-shaped 404s and errors, then the route groups.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { DestinationStream } from 'pino';
import { registerObservability } from '../observability/index.js';
import { ServerMetrics } from '../observability/metrics.js';
import { createLogger, lazyChildLogger, newRequestId } from '../observability/request-log.js';
import { toJson } from '../wire/json.js';
import { V1, V1Error } from '../wire/v1/errors.js';
import type { Services } from './deps.js';
import { registerImages } from './images.js';
import { registerAppOnly } from './oauth/app-only.js';
import { registerSignIn } from './pages/index.js';
import { answerWhileClosing } from './closing.js';
import { dialectOf } from './dialect-of.js';
import type { PipelineHooks } from './pipeline.js';
import { registerApi } from './router.js';
import { openStreams } from './v2/activity-stream.js';
import { API_HEADERS, errorBody } from './v1/reply.js';
import { limitParams, serverLimits } from './limits.js';
import { securityHeaders } from './security-headers.js';

export interface AppOptions {
  /** true or { level }: log one line per request (src/observability/request-log.ts) */
  logger?: boolean | { level?: string };
  /** where log lines go; default stdout */
  logDestination?: DestinationStream;
  metrics?: ServerMetrics;
  /** whether the server has begun to stop (requests then get 503) */
  closing?: () => boolean;
  /** request ids (x-transaction-id); default random, emulator mode draws them from its seed */
  requestId?: () => string;
  /** serve HTTPS with this certificate (serve --tls) */
  https?: { key: string; cert: string } | null;
  /** emulator mode's hook into the request pipeline */
  hooks?: PipelineHooks;
}

/**
 * Requests Node rejects before Fastify sees them (a request head over 16 KB, a malformed
 * request line): answered in Twitter's format too, not Fastify's default JSON.
 */
function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = toJson(errorBody(new V1Error(V1.badUrlParameter)));
  if (socket.writable) {
    const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, `Content-Length: ${Buffer.byteLength(body)}`,
      ...Object.entries(API_HEADERS).map(([k, v]) => `${k}: ${v}`), 'Connection: close'];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  }
  socket.destroySoon();
}

export function buildApp(services: Services, opts: AppOptions = {}): FastifyInstance {
  const level = typeof opts.logger === 'object' ? opts.logger.level ?? 'info' : 'info';
  const logger = opts.logger ? createLogger(level, opts.logDestination) : null;
  const app = Fastify({
    ...(logger ? { loggerInstance: logger, childLoggerFactory: lazyChildLogger } : { logger: false }),
    // Our own one line per request replaces Fastify's two (src/observability/request-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: opts.requestId ?? newRequestId,
    return503OnClosing: opts.closing === undefined,
    ...serverLimits(services.config.limits),
    // Query strings are decoded by roost itself (form rules, duplicates kept for signatures).
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    clientErrorHandler,
    ...(opts.https ? { https: opts.https } : {}),
  }) as unknown as FastifyInstance;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  registerObservability(app, services, opts.metrics ?? new ServerMetrics());
  securityHeaders(app);
  if (opts.closing) answerWhileClosing(app, opts.closing);
  limitParams(app, services.config.limits.maxParams);

  app.setNotFoundHandler((req, reply) => dialectOf(req).sendStatus(reply, 404));
  // Errors raised by Fastify itself before a route runs (oversized or malformed bodies).
  app.setErrorHandler((err: { statusCode?: number }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return dialectOf(req).sendStatus(reply, status);
    return dialectOf(req).sendError(reply, err, req);
  });

  registerApi(app, services, opts.hooks ?? {});
  // Open activity streams never end on their own: a stopping server ends them.
  app.addHook('preClose', async () => openStreams(services).closeAll());
  registerAppOnly(app, services);
  registerSignIn(app, services);
  registerImages(app);
  return app;
}
