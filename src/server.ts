// Starts roost: services and the HTTP app; close() is the graceful stop (src/cli/serve.ts wires
// it to SIGTERM/SIGINT).
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.js';
import type { Services } from './http/deps.js';
import { buildApp } from './http/app.js';
import { closeServices, createServices, type ServiceOptions } from './services.js';
import { openTwitterFront } from './tls/front.js';
import type { ForwardProxy } from './tls/proxy.js';

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  url: string;
  /** the CONNECT proxy for the Twitter hosts (serve --proxy), or null */
  proxyUrl: string | null;
  /** roost's CA certificate, when it serves TLS or the proxy */
  caPath: string | null;
  /**
   * Stops accepting connections, lets requests in flight finish (and their write transactions,
   * replays included), then closes the database pool and the Redis connection.
   */
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, opts: { logger?: boolean | object } & ServiceOptions = {}): Promise<RunningServer> {
  const front = openTwitterFront(config);
  const services = await createServices(config, undefined, { log: opts.log });
  const app = buildApp(services, { logger: opts.logger ?? false, https: front?.https ?? null });
  let closing: Promise<void> | null = null;
  // While stopping, answers in flight tell keep-alive clients to reconnect elsewhere.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  let proxy: ForwardProxy | null = null;
  try {
    await app.listen({ port: config.port, host: config.host });
    proxy = (await front?.startProxy(app.server)) ?? null;
  } catch (err) {
    await app.close();
    await closeServices(services);
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    app,
    services,
    proxyUrl: proxy?.url ?? null,
    caPath: front?.ca.certPath ?? null,
    url: `${config.tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    close: () => (closing ??= (async () => {
      // Fastify closes the connections idle at this moment; one busy now is closed as soon as
      // its request is answered, rather than when the client's keep-alive runs out.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 25);
      try {
        proxy?.close();
        await app.close();
      } finally {
        clearInterval(sweep);
        proxy?.dropTunnels();
        await closeServices(services);
      }
    })()),
  };
}
