// The live request log over server-sent events: the recent entries (summaries) on connect, then
// each new one as it is answered. One subscriber turns capture on; the last to leave turns it off.
import type { FastifyInstance } from 'fastify';
import type { CapturedRequest } from './capture.js';
import { ConsoleInputError, guardedRoute, sendJson, type ConsoleContext } from './router.js';

/** What a row of the list needs; the rest is fetched when a row is opened. */
function summary(r: CapturedRequest) {
  return {
    seq: r.seq, at: r.at, method: r.method, path: r.path, query: r.query.slice(0, 200), route: r.route, status: r.status, caller: r.caller, app: r.app,
    auth: r.auth, rateRemaining: r.rateRemaining, ms: r.ms, explained: r.explanation !== null,
  };
}

export function registerStream(app: FastifyInstance, ctx: ConsoleContext): void {
  const open = new Set<() => void>();
  // A stream never ends by itself: a stopping server ends them, or it would wait on them.
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });
  guardedRoute(app, ctx, 'GET', 'requests/stream', async (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
    const send = (r: CapturedRequest) => res.write(`id: ${r.seq}\nevent: request\ndata: ${JSON.stringify(summary(r))}\n\n`);
    res.write(`event: backlog\ndata: ${JSON.stringify(ctx.capture.recent().map(summary))}\n\n`);
    const unsubscribe = ctx.capture.subscribe(send);
    // Comments keep proxies from closing an idle stream.
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    const stop = () => {
      clearInterval(ping);
      unsubscribe();
      open.delete(end);
    };
    const end = () => {
      stop();
      res.end();
    };
    open.add(end);
    req.raw.on('close', stop);
    res.on('error', stop);
  });

  guardedRoute(app, ctx, 'GET', 'requests/captured/:seq', async (req, reply) => {
    const r = ctx.capture.find(Number((req.params as { seq: string }).seq));
    if (!r) throw new ConsoleInputError('no such request (the log keeps the newest 10,000 while the console is open)', 404);
    return sendJson(reply, 200, r as never);
  });
}
