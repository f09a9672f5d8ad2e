// The three x-rate-limit-* headers (and the endpoint limits they report), written the same way by
// the v1.1 and v2 routers and by emulator mode's scripted 429s.
import type { FastifyReply } from 'fastify';
import { V1_ENDPOINTS, v1Path } from './v1/endpoints.js';
import { V2_ENDPOINTS } from './v2/endpoints.js';

export function setRateLimitHeaders(reply: FastifyReply, window: { limit: number; remaining: number; reset: number }): void {
  reply.headers({
    'x-rate-limit-limit': String(window.limit),
    'x-rate-limit-remaining': String(window.remaining),
    'x-rate-limit-reset': String(window.reset),
  });
}

interface Limits { userLimit?: number; appLimit: number | null }

let limits: Map<string, Limits> | null = null;
// Built on first use: the endpoint tables import the handlers, which import this module.
const byRoute = () => (limits ??= new Map<string, Limits>([
  ...V1_ENDPOINTS.map((e) => [v1Path(e), e] as [string, Limits]),
  ...V2_ENDPOINTS.map((e) => [`${e.method} ${e.path}`, e] as [string, Limits]),
]));

/** The 15-minute limit of the endpoint a route serves, for a user or an app-only caller; null when it has none. */
export function routeLimit(method: string, routeUrl: string | undefined, app: boolean): number | null {
  const e = routeUrl === undefined ? undefined : byRoute().get(routeUrl.startsWith('/2/') ? `${method} ${routeUrl}` : routeUrl);
  if (!e) return null;
  return (app ? e.appLimit : e.userLimit) ?? null;
}
