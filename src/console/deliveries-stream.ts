// The Events page's live feed over server-sent events: `attempt` after each delivery attempt this
// process records, `change` after an API write to webhooks or subscriptions (or a reset). The page reloads
// its lists on either; nothing polls.
import type { FastifyInstance } from 'fastify';
import { pathOf } from '../http/request-url.js';
import { guardedRoute, type ConsoleContext } from './router.js';

/** The API paths whose writes change what the Events page lists. */
const CHANGES = /^\/2\/(webhooks|account_activity|activity\/subscriptions)(\/|$)/;
/** Admin writes that may rebuild the services (reset, fixture, import, snapshot restore): the deliverer is new after them. */
const REBUILDS = /^\/_roost\/(reset|fixture|snapshots\/[^/]+\/restore)$/;

export function registerDeliveriesStream(app: FastifyInstance, ctx: ConsoleContext): void {
  const open = new Set<{ push(event: string, data: string): void; bind(): void }>();
  const ends = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of ends) end();
  });
  ctx.api.addHook('onResponse', async (req, reply) => {
    if (open.size === 0 || req.method === 'GET' || reply.statusCode >= 300) return;
    const path = pathOf(req);
    const rebuilt = REBUILDS.test(path);
    if (!rebuilt && !CHANGES.test(path)) return;
    for (const o of open) {
      if (rebuilt) o.bind();
      o.push('change', '{}');
    }
  });
  guardedRoute(app, ctx, 'GET', 'deliveries/stream', async (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
    res.write(': open\n\n');
    const push = (event: string, data: string) => res.write(`event: ${event}\ndata: ${data}\n\n`);
    // The deliverer of the services now: a reset builds a new one, and bind() moves to it.
    let unwatch: () => unknown = () => undefined;
    let watched: unknown = null;
    const bind = () => {
      const deliverer = ctx.services.webhooks.deliverer;
      if (deliverer === watched) return;
      unwatch();
      watched = deliverer;
      unwatch = deliverer.onAttempt((a) =>
        push('attempt', JSON.stringify({ webhook_id: a.webhookId.toString(), event_seq: a.eventSeq.toString(), status: a.status })));
    };
    bind();
    const entry = { push, bind };
    open.add(entry);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    const stop = () => {
      clearInterval(ping);
      unwatch();
      open.delete(entry);
      ends.delete(end);
    };
    const end = () => {
      stop();
      res.end();
    };
    ends.add(end);
    req.raw.on('close', stop);
    res.on('error', stop);
  });
}
