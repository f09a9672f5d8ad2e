// The console's server-sent event streams: each opened on a hijacked reply, kept alive through
// proxies by a comment every 15 s, and ended by a stopping server (a stream never ends by itself,
// so the server would otherwise wait on it).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface SseStream {
  send(event: string, data: string, id?: number): void;
  comment(text: string): void;
}

export class SseStreams {
  private readonly open = new Set<() => void>();

  constructor(app: FastifyInstance) {
    app.addHook('preClose', async () => {
      for (const end of [...this.open]) end();
    });
  }

  /** Starts answering `reply` as a stream; `onStop` runs once, when the client leaves or the server stops. */
  start(req: FastifyRequest, reply: FastifyReply, onStop: () => void): SseStream {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      clearInterval(ping);
      this.open.delete(end);
      onStop();
    };
    const end = () => {
      stop();
      res.end();
    };
    this.open.add(end);
    req.raw.on('close', stop);
    res.on('error', stop);
    return {
      send: (event, data, id) => { res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`); },
      comment: (text) => { res.write(`: ${text}\n\n`); },
    };
  }
}
