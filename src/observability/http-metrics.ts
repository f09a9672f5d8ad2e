// Feeds every answered request into the server's metrics, and serves them: GET /metrics on the
// API port, or on a port of its own (ROOST_METRICS_PORT), optionally behind a bearer token.
import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MetricsSettings } from '../config.js';
import type { ServerMetrics } from './metrics.js';
import { logRequest, routeOf } from './request-log.js';

/** Told of each answered request, in the same hook as the metrics (the console's usage counts). */
export type RequestDone = (req: FastifyRequest, reply: FastifyReply) => void;
const doneSlots = new WeakMap<FastifyInstance, { listener: RequestDone | null }>();

/** One hook, callback style, for the request's log line, its metrics and one optional listener. */
export function recordRequests(app: FastifyInstance, metrics: ServerMetrics): void {
  // A slot read per request, not a list walked: one listener is all anything needs.
  const slot: { listener: RequestDone | null } = { listener: null };
  doneSlots.set(app, slot);
  app.addHook('onResponse', (req, reply, done) => {
    logRequest(req, reply);
    metrics.request(req.method, routeOf(req), reply.statusCode, reply.elapsedTime / 1000);
    if (req.authFailure) metrics.authFailure(req.authFailure);
    if (slot.listener !== null) slot.listener(req, reply);
    done();
  });
}

/** Sets the listener of an app whose requests recordRequests records; false when it records none. */
export function onRequestDone(app: FastifyInstance, listener: RequestDone | null): boolean {
  const slot = doneSlots.get(app);
  if (!slot) return false;
  slot.listener = listener;
  return true;
}

function tokenAccepted(settings: MetricsSettings, authorization: string | undefined): boolean {
  if (settings.token === null) return true;
  const given = Buffer.from(authorization ?? '');
  const wanted = Buffer.from(`Bearer ${settings.token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** The scrape answer: status, headers and body (shared by both ways of serving it). */
async function scrape(metrics: ServerMetrics, settings: MetricsSettings, authorization: string | undefined) {
  if (!tokenAccepted(settings, authorization)) {
    return { status: 401, type: 'text/plain; charset=utf-8', body: 'metrics need a bearer token\n' };
  }
  return { status: 200, type: metrics.contentType, body: await metrics.render() };
}

/** GET /metrics on the API port, when metrics are on and have no port of their own. */
export function registerMetricsRoute(app: FastifyInstance, metrics: ServerMetrics, settings: MetricsSettings): void {
  if (!settings.enabled || settings.port !== null) return;
  app.get('/metrics', async (req, reply) => {
    const answer = await scrape(metrics, settings, req.headers.authorization);
    return reply.code(answer.status).header('content-type', answer.type).header('cache-control', 'no-store').send(answer.body);
  });
}

/** The separate metrics listener (ROOST_METRICS_PORT); null when metrics share the API port or are off. */
export async function listenMetrics(metrics: ServerMetrics, settings: MetricsSettings): Promise<Server | null> {
  if (!settings.enabled || settings.port === null) return null;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    scrape(metrics, settings, req.headers.authorization).then(
      (a) => res.writeHead(a.status, { 'content-type': a.type, 'cache-control': 'no-store' }).end(a.body),
      () => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port!, settings.host, () => resolve());
  });
  return server;
}
