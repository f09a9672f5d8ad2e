// The URLs a client may have signed, and where it fetches images: roost may sit behind a
// TLS proxy or answer for a configured public URL (§2.5).
import type { FastifyRequest } from 'fastify';
import { baseUrl } from '../auth/oauth1-signature.js';
import type { ServerConfig } from '../config.js';
import type { AssetHosts } from '../wire/v1/user.js';

const first = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h)?.split(',')[0]?.trim();

export function requestOrigin(req: FastifyRequest, config: ServerConfig): { scheme: string; host: string } {
  const forwardedProto = config.trustProxy ? first(req.headers['x-forwarded-proto']) : undefined;
  const forwardedHost = config.trustProxy ? first(req.headers['x-forwarded-host']) : undefined;
  const scheme = forwardedProto ?? (req.socket && 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http');
  return { scheme, host: forwardedHost ?? req.headers.host ?? `${config.host}:${config.port}` };
}

export function pathOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q === -1 ? req.url : req.url.slice(0, q);
}

export function rawQuery(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q === -1 ? '' : req.url.slice(q + 1);
}

export function signedUrls(req: FastifyRequest, config: ServerConfig): string[] {
  const path = pathOf(req);
  const { scheme, host } = requestOrigin(req, config);
  const urls = [baseUrl(scheme, host, path)];
  if (config.publicUrl) {
    const u = new URL(config.publicUrl);
    urls.unshift(baseUrl(u.protocol.replace(':', ''), u.host, path));
  }
  return [...new Set(urls)];
}

/**
 * Where the default images are fetched: the scheme and host the client called (or the public URL),
 * for the `_https` members too. Twitter's pair of http and https URLs would point a client of a
 * plain-HTTP roost at a TLS port that does not exist.
 */
export function assetHosts(req: FastifyRequest, config: ServerConfig): AssetHosts {
  const { scheme, host } = requestOrigin(req, config);
  const origin = config.publicUrl ? new URL(config.publicUrl).origin : `${scheme}://${host}`;
  return { http: origin, https: origin };
}
