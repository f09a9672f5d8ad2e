// Counts each answered API request into the usage counts, from the request pipeline's completion
// hook: a few Map lookups on strings the request already carries, whether or not the console is open.
import type { FastifyInstance } from 'fastify';
import { callerName } from '../auth/authenticate.js';
import { onRequestDone } from '../observability/http-metrics.js';
import { REBUILDS } from './deliveries-stream.js';
import type { UsageCounter } from './usage.js';

/** The routes X would bill or count: its API and the OAuth endpoints; not health, metrics or the console. */
const counted = (route: string) => route.startsWith('/2/') || route.startsWith('/1.1/') || route.startsWith('/oauth/');

/** False when `api` records no requests (an app not built by buildApp). */
export function recordUsage(api: FastifyInstance, usage: UsageCounter, now: () => number, emulator: boolean): boolean {
  return onRequestDone(api, (req, reply) => {
    const route = req.routeOptions.url;
    if (route === undefined) return;
    if (!counted(route)) {
      // A reset (or a fixture or snapshot loaded) starts a fresh run, and its clock again: so do the counts.
      if (emulator && req.method === 'POST' && reply.statusCode < 300 && REBUILDS.test(route)) usage.clear();
      return;
    }
    const caller = req.authCaller;
    usage.record(req.method, route, callerName(caller), caller?.app.name ?? null, now());
  });
}
