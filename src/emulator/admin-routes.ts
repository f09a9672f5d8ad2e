// The emulator's control routes under /_roost/: registered only in emulator mode (otherwise the
// paths are Twitter's 404), each guarded by the admin token except health, which test
// containers poll before they have any credentials.
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import type { Services } from '../services.js';
import { ADMIN_PREFIX, adminError, admitted } from './admin-auth.js';
import { BadRequestError, jsonBody, send, type Guarded } from './admin-json.js';
import { ClockError } from './controlled-clock.js';
import type { Emulator } from './emulator.js';
import { faultJson, FaultSpecError, parseFaultSpec } from './fault-rules.js';
import { FixtureError, parseFixture } from './fixture.js';
import { NotEmulatorDatabaseError } from './owned-db.js';
import { credentialsJson, stateJson } from './state-json.js';
import { registerWebhookAdminRoutes } from './webhook-routes.js';

export const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Sets or advances the clock from {"now": ISO or ms} or {"advance_ms": n} / {"advance_seconds": n},
 * or stops or starts it where it is: {"mode": "frozen" | "real"}.
 */
function moveClock(emulator: Emulator, body: Record<string, unknown>): void {
  const { now, advance_ms: ms, advance_seconds: seconds, mode } = body;
  if (mode !== undefined) {
    if (mode !== 'frozen' && mode !== 'real') throw new BadRequestError('mode must be frozen or real');
    if ([now, ms, seconds].some((v) => v !== undefined)) throw new BadRequestError('give mode alone');
    emulator.clock.setMode(mode);
    return;
  }
  if ([now, ms, seconds].filter((v) => v !== undefined).length !== 1) throw new BadRequestError('give one of now, advance_ms, advance_seconds, mode');
  if (now !== undefined) {
    const at = typeof now === 'number' ? now : typeof now === 'string' ? Date.parse(now) : NaN;
    if (Number.isNaN(at)) throw new BadRequestError('now must be an ISO 8601 time or ms since 1970');
    emulator.clock.set(at);
  } else {
    const step = ms ?? (typeof seconds === 'number' ? seconds * 1000 : NaN);
    emulator.clock.advance(typeof step === 'number' ? step : NaN);
  }
}

export function registerAdminRoutes(app: FastifyInstance, services: Services, emulator: Emulator): void {
  const clockJson = () => ({ mode: emulator.clock.mode, now: new Date(emulator.clock.now()).toISOString(), now_ms: emulator.clock.now() });
  const guarded: Guarded = (method, path, run) => {
    app.route({
      method, url: `${ADMIN_PREFIX}${path}`,
      handler: async (req, reply) => {
        if (!admitted(req, reply, emulator.adminToken)) return reply;
        try {
          return await run(req, reply);
        } catch (err) {
          if (err instanceof BadRequestError || err instanceof FixtureError || err instanceof ClockError || err instanceof FaultSpecError) {
            return adminError(reply, 400, err.message);
          }
          if (err instanceof NotEmulatorDatabaseError) return adminError(reply, 409, err.message);
          throw err;
        }
      },
    });
  };

  app.get(`${ADMIN_PREFIX}health`, async (_req, reply) => send(reply, 200, { status: 'ok', version: VERSION, emulator: true, clock: clockJson() }));

  guarded('POST', 'reset', async (_req, reply) => {
    await emulator.reset(services);
    return send(reply, 200, credentialsJson(emulator.loaded));
  });

  // The body is a fixture (YAML or JSON); it replaces the one reset returns to, and is loaded now.
  guarded('POST', 'fixture', async (req, reply) => {
    const fixture = parseFixture(typeof req.body === 'string' ? req.body : '', 'request body');
    await emulator.reset(services, fixture);
    return send(reply, 200, credentialsJson(emulator.loaded));
  });

  guarded('GET', 'state', async (_req, reply) => send(reply, 200, await stateJson(services, emulator)));
  guarded('GET', 'credentials', async (_req, reply) => send(reply, 200, credentialsJson(emulator.loaded)));

  guarded('GET', 'clock', async (_req, reply) => send(reply, 200, clockJson()));
  guarded('POST', 'clock', async (req, reply) => {
    moveClock(emulator, jsonBody(req));
    return send(reply, 200, clockJson());
  });

  guarded('GET', 'requests', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    return send(reply, 200, { requests: emulator.requests.list({ method: q.method, path: q.path, caller: q.caller }) });
  });
  guarded('DELETE', 'requests', async (_req, reply) => {
    emulator.requests.clear();
    return reply.code(204).send();
  });

  guarded('GET', 'faults', async (_req, reply) => send(reply, 200, { faults: emulator.faults.list().map(faultJson) }));
  // One rule or a list; all are checked before any is added.
  guarded('POST', 'faults', async (req, reply) => {
    const body = jsonBody(req);
    const specs = (Array.isArray(body) ? body : [body]).map((raw, i) => {
      try {
        return parseFaultSpec(raw);
      } catch (err) {
        if (err instanceof FaultSpecError) throw new BadRequestError(`rule ${i}: ${err.message}`);
        throw err;
      }
    });
    return send(reply, 201, { faults: specs.map((s) => faultJson(emulator.faults.add(s))) });
  });
  guarded('DELETE', 'faults', async (_req, reply) => {
    emulator.faults.clear();
    return reply.code(204).send();
  });
  registerWebhookAdminRoutes(services, guarded);

  guarded('DELETE', 'faults/:id', async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    return emulator.faults.remove(id) ? reply.code(204).send() : adminError(reply, 404, `no fault rule ${id}`);
  });
}
