// What `serve --tls` and `serve --proxy` add in front of the app: roost's certificate (from its
// own CA) for the Twitter host names, HTTPS on the main port, and the CONNECT proxy whose tunnels
// end in the same app.
import type { Server as HttpServer } from 'node:http';
import { createServer as createTlsServer, Server as TlsServer } from 'node:tls';
import type { ServerConfig } from '../config.js';
import { ensureCa, issueLeaf, type CertificateAuthority, type Leaf } from './ca.js';
import { caDirFor } from './ca-dir.js';
import { LEAF_NAMES } from './hosts.js';
import { startForwardProxy, type ForwardProxy, type TunnelSink } from './proxy.js';

export interface TwitterFront {
  ca: CertificateAuthority;
  /** for the app's own server when the main port speaks HTTPS; null when it speaks HTTP */
  https: Leaf | null;
  /** the CONNECT proxy on config.proxyPort, or null when none was asked for */
  startProxy(server: HttpServer | TlsServer): Promise<ForwardProxy | null>;
}

/**
 * A tunnel's bytes are TLS: an HTTPS app server takes them as they are; a plain one gets them
 * decrypted here first (the socket it sees is then `encrypted`, so requests read as https).
 */
function sinkInto(server: HttpServer | TlsServer, leaf: Leaf): TunnelSink {
  if (server instanceof TlsServer) return (socket) => server.emit('connection', socket);
  const terminator = createTlsServer(leaf, (secure) => server.emit('connection', secure));
  return (socket) => terminator.emit('connection', socket);
}

export function openTwitterFront(config: ServerConfig): TwitterFront | null {
  if (!config.tls && config.proxyPort === null) return null;
  const ca = ensureCa(caDirFor(config.db, config.caDir));
  const leaf = issueLeaf(ca, LEAF_NAMES);
  return {
    ca,
    https: config.tls ? leaf : null,
    startProxy: async (server) =>
      config.proxyPort === null ? null : startForwardProxy(config.host, config.proxyPort, sinkInto(server, leaf)),
  };
}
