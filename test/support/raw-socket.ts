// A bare TCP connection to a test server, for what HTTP clients will not do: trickle a request's
// head, leave it half-written, and read the answer as bytes.
import { connect, type Socket } from 'node:net';

export interface RawConnection {
  socket: Socket;
  write(text: string): void;
  /** Everything the server sent until it closed the connection. */
  closed: Promise<string>;
}

export async function rawConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8'))));
  socket.on('error', () => {});
  return { socket, write: (text) => { if (!socket.destroyed) socket.write(text); }, closed };
}

/** Status, lower-cased headers and body of the first answer in `text`. */
export function parseAnswer(text: string): { status: number; headers: Map<string, string>; body: string } {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as const));
  const rest = text.slice(end + 4);
  const length = headers.get('content-length');
  return { status: Number(statusLine!.split(' ')[1]), headers, body: length === undefined ? rest : rest.slice(0, Number(length)) };
}
