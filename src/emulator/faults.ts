// The emulator's request hooks: who is calling, the fault rule that answers instead of the route
// (429, 503/130, 500, a delay, a dropped connection), the request log, and a Date header that
// follows the emulator's clock so replies repeat byte for byte.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Services } from '../http/deps.js';
import { routeLimit, setRateLimitHeaders } from '../http/rate-limit-headers.js';
import { pathOf } from '../http/request-url.js';
import { errorBody, sendJson } from '../http/v1/reply.js';
import { sendProblem } from '../http/v2/router.js';
import { V1, V1Error } from '../wire/v1/errors.js';
import { internalError, serviceUnavailable, tooManyRequests } from '../wire/v2/problems.js';
import { ADMIN_PREFIX } from './admin-auth.js';
import { ANONYMOUS, identifyCaller, type CallerId } from './callers.js';
import type { Emulator } from './emulator.js';
import type { FaultRule } from './fault-rules.js';

const callers = new WeakMap<FastifyRequest, { caller: CallerId; fault: number | null }>();

function answer(rule: FaultRule, emulator: Emulator, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const v2 = pathOf(req).startsWith('/2/');
  const a = rule.action;
  if (a.kind === 'rate-limit') {
    const reset = Math.floor(emulator.clock.now() / 1000) + a.resetSeconds;
    const limit = a.limit ?? routeLimit(req.method, req.routeOptions.url, callers.get(req)?.caller.app === true);
    if (limit === null) reply.headers({ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) });
    else setRateLimitHeaders(reply, { limit, remaining: 0, reset });
    if (v2) return sendProblem(reply, tooManyRequests());
    reply.header('retry-after', String(a.resetSeconds));
    return sendJson(reply, 429, errorBody(new V1Error(V1.rateLimited)));
  }
  if (a.kind === 'over-capacity') return v2 ? sendProblem(reply, serviceUnavailable()) : sendJson(reply, 503, errorBody(new V1Error(V1.overCapacity)));
  return v2 ? sendProblem(reply, internalError()) : sendJson(reply, 500, errorBody(new V1Error(V1.internalError)));
}

function log(emulator: Emulator, req: FastifyRequest, status: number): void {
  const seen = callers.get(req) ?? { caller: ANONYMOUS, fault: null };
  emulator.requests.add({
    method: req.method, path: pathOf(req), caller: seen.caller.label, status, at: new Date(emulator.clock.now()).toISOString(), fault: seen.fault,
  });
}

export function registerFaultHooks(app: FastifyInstance, services: Services, emulator: Emulator): void {
  app.addHook('onRequest', async (req, reply) => {
    const path = pathOf(req);
    if (path.startsWith(ADMIN_PREFIX)) return;
    const caller = await identifyCaller(services.store, req.headers.authorization, emulator.tokenNames);
    const rule = emulator.faults.fire(req.method, path, caller.names);
    callers.set(req, { caller, fault: rule?.id ?? null });
    if (!rule) return;
    switch (rule.action.kind) {
      case 'delay':
        await sleep(rule.action.ms);
        return;
      case 'drop':
        log(emulator, req, 0);
        reply.hijack();
        req.raw.socket.destroy();
        return reply;
      default:
        return answer(rule, emulator, req, reply);
    }
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('date', new Date(emulator.clock.now()).toUTCString());
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    if (!pathOf(req).startsWith(ADMIN_PREFIX)) log(emulator, req, reply.statusCode);
  });
}
