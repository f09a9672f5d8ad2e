// The live request log over server-sent events: the recent entries (summaries) on connect, then
// each new one as it is answered. One subscriber turns capture on; the last to leave turns it off.
import type { FastifyInstance } from 'fastify';
import type { CapturedRequest } from './capture.js';
import { ConsoleInputError, guardedRoute, sendJson, type ConsoleContext } from './router.js';
import { SseStreams } from './sse.js';

/** What a row of the list needs; the rest is fetched when a row is opened. */
function summary(r: CapturedRequest) {
  return {
    seq: r.seq, at: r.at, method: r.method, path: r.path, query: r.query.slice(0, 200), route: r.route, status: r.status, caller: r.caller, app: r.app,
    auth: r.auth, rateRemaining: r.rateRemaining, ms: r.ms, explained: r.explanation !== null,
  };
}

export function registerStream(app: FastifyInstance, ctx: ConsoleContext): void {
  const streams = new SseStreams(app);
  guardedRoute(app, ctx, 'GET', 'requests/stream', async (req, reply) => {
    let unsubscribe = () => {};
    const stream = streams.start(req, reply, () => unsubscribe());
    stream.send('backlog', JSON.stringify(ctx.capture.recent().map(summary)));
    unsubscribe = ctx.capture.subscribe((r) => stream.send('request', JSON.stringify(summary(r)), r.seq));
  });

  guardedRoute(app, ctx, 'GET', 'requests/captured/:seq', async (req, reply) => {
    const r = ctx.capture.find(Number((req.params as { seq: string }).seq));
    if (!r) throw new ConsoleInputError('no such request (the log keeps the newest 10,000 while the console is open)', 404);
    return sendJson(reply, 200, r as never);
  });
}
