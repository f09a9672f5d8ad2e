// The web console (docs/console.md): on in emulator mode (the admin token opens it), and in
// server mode only when ROOST_CONSOLE_TOKEN is set, on the API port or a port of its own.
// Otherwise nothing here is registered and /_roost/console is Twitter's 404.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Emulator } from '../emulator/emulator.js';
import { isLoopback } from '../emulator/emulator.js';
import type { Services } from '../services.js';
import { Capture } from './capture.js';
import { ConsoleChanges, registerChanges } from './changes.js';
import { registerDeliveriesStream } from './deliveries-stream.js';
import { registerEndpoints } from './endpoints.js';
import { registerPage } from './page.js';
import type { ConsoleContext } from './router.js';
import { registerRunRoutes } from './run-routes.js';
import { registerSend } from './send.js';
import { registerStream } from './stream.js';
import { registerUserRoutes } from './users-routes.js';
import { UsageCounter } from './usage.js';
import { recordUsage } from './usage-recorder.js';

export class ConsoleConfigError extends Error {}

export interface ConsoleHandle {
  /** the console's own server, when it has a port of its own */
  server: FastifyInstance | null;
  url: string | null;
  close(): Promise<void>;
}

function registerAll(app: FastifyInstance, ctx: ConsoleContext): void {
  registerPage(app, ctx);
  registerStream(app, ctx);
  registerDeliveriesStream(app, ctx);
  registerChanges(app, ctx);
  registerSend(app, ctx);
  registerEndpoints(app, ctx);
  registerUserRoutes(app, ctx);
  registerRunRoutes(app, ctx);
}

/** The console's token, or null when it is off. */
export function consoleToken(services: Services, emulator: Emulator | null): string | null {
  return emulator ? emulator.adminToken : services.config.console.token;
}

/**
 * Adds the console to `api` (capture hooks always there; routes there too unless the console has
 * a port of its own, which is then opened). Call before `api` listens.
 */
export async function installConsole(api: FastifyInstance, services: Services, emulator: Emulator | null): Promise<ConsoleHandle | null> {
  const token = consoleToken(services, emulator);
  if (token === null) return null;
  const capture = new Capture();
  capture.install(api, (path) => path.startsWith('/_roost/'), () => Date.now());
  const usage = new UsageCounter();
  // On the services' clock: in emulator mode the one rate limits and the request log read.
  recordUsage(api, usage, () => services.clock.now(), emulator !== null);
  const ctx: ConsoleContext = { services, emulator, token, capture, usage, api, changes: new ConsoleChanges({ services, emulator, usage }) };
  const own = emulator ? null : services.config.console.port;
  if (own === null) {
    registerAll(api, ctx);
    return { server: null, url: null, close: async () => undefined };
  }
  const { host, expose } = services.config.console;
  if (!expose && !isLoopback(host)) {
    throw new ConsoleConfigError(`the console binds only loopback addresses, not ${host}: set ROOST_CONSOLE_EXPOSE=1 (or --console-expose) to serve it elsewhere`);
  }
  const app = Fastify({ logger: false }) as unknown as FastifyInstance;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });
  registerAll(app, ctx);
  await app.listen({ port: own, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : own;
  return { server: app, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close: () => app.close() };
}
