// The emulator's request hooks: the fault rule that answers instead of the endpoint (429, 503/130,
// 500, a delay, a dropped connection), the request log, and Date and x-response-time headers that
// follow the emulator's clock so replies repeat byte for byte. On API routes the rule is chosen in the
// request pipeline once the caller is authenticated (emulatorHooks); elsewhere (OAuth, pages,
// unknown paths) when the request arrives, with no caller.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dialect } from '../http/dialect.js';
import { dialectOf } from '../http/dialect-of.js';
import type { PipelineHooks } from '../http/pipeline.js';
import { setRateLimitHeaders } from '../http/rate-limit-headers.js';
import { pathOf } from '../http/request-url.js';
import { limitFor } from '../limits/buckets.js';
import { ADMIN_PREFIX } from './admin-auth.js';
import { ANONYMOUS, callerId, type CallerId } from './callers.js';
import type { Emulator } from './emulator.js';
import type { FaultRule } from './fault-rules.js';

const seen = new WeakMap<FastifyRequest, { caller: CallerId; fault: number | null }>();

/** Applies a fired rule; true when it answered (or dropped) the request, false after a delay. */
async function apply(rule: FaultRule, emulator: Emulator, req: FastifyRequest, reply: FastifyReply, dialect: Dialect, limit: number | null): Promise<boolean> {
  const a = rule.action;
  switch (a.kind) {
    case 'delay':
      await sleep(a.ms);
      return false;
    case 'drop':
      log(emulator, req, 0);
      reply.hijack();
      req.raw.socket.destroy();
      return true;
    case 'window':
      return false;
    case 'rate-limit': {
      const reset = Math.floor(emulator.clock.now() / 1000) + a.resetSeconds;
      const shown = a.limit ?? limit;
      if (shown === null) reply.headers({ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) });
      else setRateLimitHeaders(reply, { limit: shown, remaining: 0, reset });
      dialect.sendError(reply, dialect.rateLimited(reply, { limit: shown ?? 0, remaining: 0, reset, exceeded: true }, emulator.clock.now()), req);
      return true;
    }
    case 'over-capacity':
      dialect.sendStatus(reply, 503);
      return true;
    case 'internal-error':
      dialect.sendStatus(reply, 500);
      return true;
  }
}

function fire(emulator: Emulator, req: FastifyRequest, caller: CallerId): FaultRule | null {
  const rule = emulator.faults.fire(req.method, pathOf(req), caller.names);
  seen.set(req, { caller, fault: rule?.id ?? null });
  return rule;
}

function log(emulator: Emulator, req: FastifyRequest, status: number): void {
  const s = seen.get(req) ?? { caller: ANONYMOUS, fault: null };
  emulator.requests.add({
    method: req.method, path: pathOf(req), caller: s.caller.label, app: s.caller.app, route: req.routeOptions.url ?? pathOf(req), status, at: new Date(emulator.clock.now()).toISOString(), fault: s.fault,
  });
}

/** The pipeline's hook: fault rules for API routes, matched on the authenticated caller. */
export function emulatorHooks(emulator: Emulator): PipelineHooks {
  return {
    async admitted(req, reply, caller, route) {
      const rule = fire(emulator, req, caller ? callerId(caller, emulator.tokenNames) : ANONYMOUS);
      if (!rule) return false;
      return apply(rule, emulator, req, reply, route.dialect, caller ? limitFor(caller, route.endpoint) : null);
    },
  };
}

export function registerFaultHooks(app: FastifyInstance, emulator: Emulator): void {
  app.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.config.api === true || pathOf(req).startsWith(ADMIN_PREFIX)) return;
    const rule = fire(emulator, req, ANONYMOUS);
    if (rule && await apply(rule, emulator, req, reply, dialectOf(req), null)) return reply;
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('date', new Date(emulator.clock.now()).toUTCString());
    // No time passes on a frozen clock, so a v2 answer's response time is 0 and replies repeat byte for byte.
    if (emulator.clock.mode === 'frozen' && reply.hasHeader('x-response-time')) reply.header('x-response-time', '0');
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    if (!pathOf(req).startsWith(ADMIN_PREFIX)) log(emulator, req, reply.statusCode);
  });
}
