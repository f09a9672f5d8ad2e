// Starts roost: services and the HTTP app; close() is the graceful stop (src/cli/serve.ts wires
// it to SIGTERM/SIGINT).
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.js';
import type { Services } from './http/deps.js';
import { installEmulator, prepareEmulator, type Emulator } from './emulator/install.js';
import { buildApp } from './http/app.js';
import { closeServices, createServices, type ServiceOptions } from './services.js';

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  url: string;
  /** emulator mode's state and controls; null when it is off */
  emulator: Emulator | null;
  /**
   * Stops accepting connections, lets requests in flight finish (and their write transactions,
   * replays included), then closes the database pool and the Redis connection.
   */
  close(): Promise<void>;
}

export async function startServer(given: ServerConfig, opts: { logger?: boolean | object } & ServiceOptions = {}): Promise<RunningServer> {
  const { emulator, config } = prepareEmulator(given);
  const services = await createServices(config, emulator?.clock, { log: opts.log, ...emulator?.serviceOptions() });
  const app = buildApp(services, { logger: opts.logger ?? false });
  let closing: Promise<void> | null = null;
  // While stopping, answers in flight tell keep-alive clients to reconnect elsewhere.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  try {
    if (emulator) await installEmulator(app, services, emulator);
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await closeServices(services);
    emulator?.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    app,
    services,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    emulator,
    close: () => (closing ??= (async () => {
      // Fastify closes the connections idle at this moment; one busy now is closed as soon as
      // its request is answered, rather than when the client's keep-alive runs out.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 25);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
        await closeServices(services);
        emulator?.close();
      }
    })()),
  };
}
