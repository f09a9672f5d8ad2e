// An HTTPS forward proxy that is its own destination: `CONNECT api.twitter.com:443` (or another
// Twitter host) is answered by roost itself, TLS terminated with roost's certificate; any other
// destination is refused and nothing leaves the machine. Clients that honour HTTPS_PROXY reach
// roost without a hosts-file change.
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { isTwitterHost, TWITTER_HOSTS } from './hosts.js';

export interface ForwardProxy {
  url: string;
  /** stops accepting; tunnels already open are left to the server they were handed to */
  close(): void;
  /** ends the tunnels still open (call once that server has answered what it was given) */
  dropTunnels(): void;
}

/** Where a CONNECT goes once accepted: a socket that will speak TLS to roost. */
export type TunnelSink = (socket: Duplex) => void;

const REFUSAL = `roost's proxy answers only CONNECT to ${TWITTER_HOSTS.map((h) => `${h}:443`).join(', ')}\n`;

function refusal(status: number): string {
  return [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, 'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(REFUSAL)}`, 'Connection: close', '', REFUSAL].join('\r\n');
}

/** `host:port` of a CONNECT target, the host without IPv6 brackets; null when malformed. */
export function connectTarget(target: string | undefined): { host: string; port: number } | null {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(target ?? '');
  return m ? { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) } : null;
}

function onConnect(sink: TunnelSink, tunnels: Set<Duplex>) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    const target = connectTarget(req.url);
    if (!target || target.port !== 443 || !isTwitterHost(target.host)) {
      socket.end(refusal(403));
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    // Bytes the client sent after the CONNECT head (an eager TLS ClientHello) belong to the tunnel.
    if (head.length > 0) socket.unshift(head);
    sink(socket);
  };
}

/** Plain-HTTP proxying (`GET http://host/...`) is refused for every host: Twitter speaks HTTPS only. */
function onPlainRequest(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(REFUSAL);
}

export async function startForwardProxy(host: string, port: number, sink: TunnelSink): Promise<ForwardProxy> {
  const server = createServer(onPlainRequest);
  const tunnels = new Set<Duplex>();
  server.on('connect', onConnect(sink, tunnels));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
    dropTunnels: () => {
      for (const socket of tunnels) socket.destroy();
    },
  };
}
