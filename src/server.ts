// Starts roost: services, the HTTP app, and a clean stop on SIGTERM/SIGINT.
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.js';
import type { Services } from './http/deps.js';
import { buildApp } from './http/app.js';
import { createServices } from './services.js';

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, opts: { logger?: boolean | object } = {}): Promise<RunningServer> {
  const services = await createServices(config);
  const app = buildApp(services, { logger: opts.logger ?? false });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let closing: Promise<void> | null = null;
  return {
    app,
    services,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    close: () => (closing ??= (async () => {
      await app.close();
      await services.store.close();
    })()),
  };
}
