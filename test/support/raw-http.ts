// One HTTP request below every client library (node:http), so that the method, path, query
// and body go out byte for byte as built.
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';

export interface RawHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function rawHttp(
  port: number, agent: Agent, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer,
): Promise<RawHttpResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: {
      ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
    } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer (413) and close before it has read a large body.
    req.on('error', (err) => { if (!answered) reject(err); });
    req.end(body);
  });
}
