// Starts roost: services and the HTTP app; close() is the graceful stop (src/cli/serve.ts wires
// it to SIGTERM/SIGINT).
import type { FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import type { DestinationStream } from 'pino';
import type { ServerConfig } from './config.js';
import { emulatorHooks } from './emulator/faults.js';
import { installEmulator, prepareEmulator, type Emulator } from './emulator/install.js';
import { installConsole, type ConsoleHandle } from './console/index.js';
import { buildApp } from './http/app.js';
import { countGraphWrites } from './observability/graph-counters.js';
import { listenMetrics } from './observability/http-metrics.js';
import { ServerMetrics } from './observability/metrics.js';
import { timedStore } from './observability/timed-store.js';
import { closeServices, createServices, type ServiceOptions, type Services } from './services.js';
import type { Store } from './store/types.js';
import { userCaDir } from './tls/ca-dir.js';
import { openTwitterFront } from './tls/front.js';
import type { ForwardProxy } from './tls/proxy.js';

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  url: string;
  /** emulator mode's state and controls; null when it is off */
  emulator: Emulator | null;
  metrics: ServerMetrics;
  /** where GET /metrics is served when it has a port of its own (ROOST_METRICS_PORT), else null */
  metricsUrl: string | null;
  /** the CONNECT proxy for the Twitter hosts (serve --proxy), or null */
  proxyUrl: string | null;
  /** roost's CA certificate, when it serves TLS or the proxy */
  caPath: string | null;
  /** where the web console is served (docs/console.md), or null when it is off */
  consoleUrl: string | null;
  /**
   * Stops accepting connections, lets requests in flight finish (and their write transactions,
   * replays included), then closes the database pool and the Redis connection.
   */
  close(): Promise<void>;
}

export interface StartOptions extends ServiceOptions {
  logger?: boolean | { level?: string };
  /** where log lines go; default stdout */
  logDestination?: DestinationStream;
}

function urlOf(server: Server, host: string, scheme = 'http'): string {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startServer(given: ServerConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const { emulator, config } = prepareEmulator(given);
  // An emulator on a temporary database keeps its CA where the next run finds it, so clients
  // trust one CA across runs.
  const front = openTwitterFront(given.emulator?.tempDb && !config.caDir ? { ...config, caDir: userCaDir() } : config);
  const metrics = new ServerMetrics();
  // Known once listening; an emulator reset starts the new services' delivery with it.
  let listening: string | undefined;
  const instrumentation = {
    options: { log: opts.log, primary: opts.primary, wrapStore: (s: Store) => timedStore(s, (k, t) => metrics.query(k, t)) },
    decorate: (s: Services) => {
      countGraphWrites(s.graph, (action) => metrics.graphWrite(action));
      metrics.watch(s);
      // Delivery runs in a serving process only (started once listening, and again after an emulator reset), never in a CLI command.
      if (listening !== undefined) s.webhooks.start(listening);
    },
  };
  if (emulator) emulator.instrumentation = instrumentation;
  const services = await createServices(config, emulator?.clock, emulator?.serviceOptions() ?? instrumentation.options);
  instrumentation.decorate(services);
  let closing: Promise<void> | null = null;
  const app = buildApp(services, {
    logger: opts.logger ?? false,
    logDestination: opts.logDestination,
    metrics,
    closing: () => closing !== null,
    requestId: emulator ? () => emulator.nextRequestId() : undefined,
    https: front?.https ?? null,
    hooks: emulator ? emulatorHooks(emulator) : undefined,
  });
  // While stopping, answers in flight tell keep-alive clients to reconnect elsewhere.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  let metricsServer: Server | null = null;
  let proxy: ForwardProxy | null = null;
  let consoleHandle: ConsoleHandle | null = null;
  try {
    if (emulator) await installEmulator(app, services, emulator);
    consoleHandle = await installConsole(app, services, emulator);
    await app.listen({ port: config.port, host: config.host });
    metricsServer = await listenMetrics(metrics, config.metrics);
    proxy = (await front?.startProxy(app.server)) ?? null;
    listening = urlOf(app.server, config.host, config.tls ? 'https' : 'http');
    services.webhooks.start(listening);
  } catch (err) {
    await consoleHandle?.close();
    metricsServer?.close();
    await app.close();
    await closeServices(services);
    emulator?.close();
    throw err;
  }
  const url = urlOf(app.server, config.host, config.tls ? 'https' : 'http');
  return {
    app,
    services,
    url,
    consoleUrl: consoleHandle ? `${consoleHandle.url ?? url}/_roost/console` : null,
    emulator,
    metrics,
    metricsUrl: metricsServer ? urlOf(metricsServer, config.metrics.host) : null,
    proxyUrl: proxy?.url ?? null,
    caPath: front?.ca.certPath ?? null,
    close: () => (closing ??= (async () => {
      // Fastify closes the connections idle at this moment; one busy now is closed as soon as
      // its request is answered, rather than when the client's keep-alive runs out.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 25);
      try {
        proxy?.close();
        await consoleHandle?.close();
        await app.close();
      } finally {
        clearInterval(sweep);
        proxy?.dropTunnels();
        metricsServer?.closeAllConnections();
        metricsServer?.close();
        await closeServices(services);
        emulator?.close();
      }
    })()),
  };
}
