// `serve --tls / --proxy / --ca-dir`: the flags, and what a started server reports about them.
import type { ServerConfig } from '../config.js';
import type { RunningServer } from '../server.js';
import { caDirFor } from '../tls/ca-dir.js';
import { TWITTER_HOSTS } from '../tls/hosts.js';
import { CliError } from './output.js';

export interface TlsFlags {
  tls?: boolean;
  proxy?: boolean | string;
  caDir?: string;
}

export const DEFAULT_PROXY_PORT = 3128;

export function tlsOverrides(opts: TlsFlags): Partial<ServerConfig> {
  if (typeof opts.proxy === 'string' && !/^\d+$/.test(opts.proxy)) throw new CliError(`--proxy takes a port number, got "${opts.proxy}"`);
  return {
    ...(opts.tls ? { tls: true } : {}),
    ...(opts.proxy === true ? { proxyPort: DEFAULT_PROXY_PORT } : {}),
    ...(typeof opts.proxy === 'string' ? { proxyPort: Number(opts.proxy) } : {}),
    ...(opts.caDir ? { caDir: opts.caDir } : {}),
  };
}

export function twitterFrontLines(server: RunningServer): string[] {
  const lines: string[] = [];
  if (server.proxyUrl) lines.push(`roost proxy ${server.proxyUrl} answers ${TWITTER_HOSTS.join(', ')} (set HTTPS_PROXY to it)`);
  if (server.caPath) lines.push(`roost CA ${server.caPath} (bin/roost ca prints how to make clients trust it)`);
  return lines;
}

/** Creates the CA if serving will need it and it does not exist yet. */
export async function prepareCa(config: ServerConfig): Promise<void> {
  if (config.tls || config.proxyPort !== null) (await import('../tls/ca.js')).ensureCa(caDirFor(config.db, config.caDir));
}
