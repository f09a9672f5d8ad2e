// Everything that watches requests, hooked into the app in one call: the request id and log
// line, request metrics, and the health and metrics routes.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { decorateCaller } from './caller.js';
import { recordRequests, registerMetricsRoute } from './http-metrics.js';
import { registerHealth } from './health.js';
import type { ServerMetrics } from './metrics.js';
import { registerRequestId } from './request-log.js';

export function registerObservability(app: FastifyInstance, services: Services, metrics: ServerMetrics): void {
  decorateCaller(app);
  registerRequestId(app);
  recordRequests(app, metrics);
  registerHealth(app, services);
  registerMetricsRoute(app, metrics, services.config.metrics);
}
