// A harness serving the Twitter host names (serve --tls / --proxy) with its CA in a directory of
// its own, and client agents that trust that CA and nothing else.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import type { ClientRequest } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect, type ConnectionOptions } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { ServerConfig } from '../../src/config.js';
import { startHarness, type Harness } from './harness.js';

export interface FrontHarness extends Harness {
  caDir: string;
  /** roost's CA certificate (PEM) */
  ca: string;
}

export async function startFrontHarness(overrides: Partial<ServerConfig>, caDir = mkdtempSync(join(tmpdir(), 'roost-ca-'))): Promise<FrontHarness> {
  const h = await startHarness({ caDir, ...overrides });
  return {
    ...h,
    caDir,
    ca: readFileSync(h.server.caPath!, 'utf8'),
    async close() {
      await h.close();
      rmSync(caDir, { recursive: true, force: true });
    },
  };
}

/** HTTPS_PROXY as Node clients do it, with `ca` as the only trusted root for the destination. */
type ConnectOpts = Parameters<HttpsProxyAgent<string>['connect']>[1];

export class TrustingProxyAgent extends HttpsProxyAgent<string> {
  constructor(proxyUrl: string, private readonly ca: string) {
    super(proxyUrl);
  }

  override connect(req: ClientRequest, opts: ConnectOpts) {
    return super.connect(req, opts.secureEndpoint ? { ...opts, ca: this.ca } : opts);
  }
}

/**
 * What a hosts-file line does, inside this process only: every name resolves to roost's port,
 * while TLS still checks the name the client asked for against `ca`.
 */
export class HostsFileAgent extends HttpsAgent {
  constructor(private readonly port: number, private readonly ca: string, opts: AgentOptions = {}) {
    super(opts);
  }

  override createConnection(opts: ConnectionOptions): Duplex {
    const servername = opts.servername || opts.host || undefined;
    return connect({ ...opts, host: '127.0.0.1', port: this.port, ca: this.ca, ...(servername ? { servername } : {}) });
  }
}
