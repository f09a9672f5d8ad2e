import type { Json } from '../../wire/json.js';
import type { V1Handler } from './context.js';
import { isCounted, V1_ENDPOINTS } from './endpoints.js';

/** The caller's buckets, grouped by family; the request itself is already counted. */
export const accountRateLimitStatus: V1Handler = async (ctx) => {
  const wanted = new Set(ctx.params.list('resources'));
  const resources: Record<string, Record<string, Json>> = {};
  for (const e of V1_ENDPOINTS) {
    if (!isCounted(e) || (wanted.size > 0 && !wanted.has(e.family))) continue;
    const s = await ctx.services.limiter.status(ctx.caller, e);
    if (s === null) continue;
    (resources[e.family] ??= {})[e.rateKey] = { limit: s.limit, remaining: s.remaining, reset: s.reset };
  }
  const context = ctx.caller.kind === 'user' ? { access_token: ctx.caller.token.token } : { application: ctx.caller.app.consumerKey };
  return { rate_limit_context: context, resources };
};
