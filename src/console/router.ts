// The console's admin routes: guarded like the emulator's (the token as a bearer, or the
// console's cookie), JSON in and out, errors as {"error": "..."}.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountError } from '../admin/accounts.js';
import { adminError, carriesToken } from '../emulator/admin-auth.js';
import type { Emulator } from '../emulator/emulator.js';
import { FixtureError } from '../emulator/fixture.js';
import { NotEmulatorDatabaseError } from '../emulator/owned-db.js';
import { SnapshotError } from '../emulator/snapshots.js';
import { GraphRuleError } from '../graph/errors.js';
import type { Services } from '../services.js';
import { toJson, type Json } from '../wire/json.js';
import type { Capture } from './capture.js';
import type { ConsoleChanges } from './changes.js';
import type { UsageCounter } from './usage.js';

export class ConsoleInputError extends Error {
  constructor(message: string, readonly status = 400) {
    super(message);
  }
}

export interface ConsoleContext {
  services: Services;
  emulator: Emulator | null;
  token: string;
  capture: Capture;
  /** requests per minute, endpoint, caller and app, always counted */
  usage: UsageCounter;
  /** the API app, which the request builder calls in process */
  api: FastifyInstance;
  /** what changed, told to the open pages (GET /_roost/changes) */
  changes: ConsoleChanges;
}

type Method = 'GET' | 'POST' | 'DELETE';
export type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export const sendJson = (reply: FastifyReply, status: number, body: Json) =>
  reply.code(status).header('content-type', 'application/json; charset=utf-8').send(toJson(body));

export function bodyOf(req: FastifyRequest): Record<string, unknown> {
  const text = typeof req.body === 'string' ? req.body : '';
  try {
    const v: unknown = text === '' ? {} : JSON.parse(text);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch { /* answered below */ }
  throw new ConsoleInputError('the body must be a JSON object');
}

export function guardedRoute(app: FastifyInstance, ctx: ConsoleContext, method: Method, path: string, run: Handler): void {
  app.route({
    method, url: `/_roost/${path}`,
    handler: async (req, reply) => {
      if (!carriesToken(req, ctx.token)) {
        return adminError(reply.header('www-authenticate', 'Bearer realm="roost console"'), 401, 'the console routes need the admin (or console) token');
      }
      try {
        return await run(req, reply);
      } catch (err) {
        if (err instanceof ConsoleInputError) return adminError(reply, err.status, err.message);
        if (err instanceof AccountError || err instanceof FixtureError || err instanceof SnapshotError) return adminError(reply, 400, err.message);
        if (err instanceof GraphRuleError) return adminError(reply, 400, `refused by the graph rules (${err.reason})`);
        if (err instanceof NotEmulatorDatabaseError) return adminError(reply, 409, err.message);
        throw err;
      }
    },
  });
}

/** The emulator, or a 404 naming why: the route needs emulator mode. */
export function needEmulator(ctx: ConsoleContext): Emulator {
  if (!ctx.emulator) throw new ConsoleInputError('this needs emulator mode (serve --emulator)', 404);
  return ctx.emulator;
}
