// The Events page's live feed over server-sent events: `attempt` after each delivery attempt this
// process records, `change` after an API write to webhooks or subscriptions (or a reset). The page reloads
// its lists on either; nothing polls.
import type { FastifyInstance } from 'fastify';
import { pathOf } from '../http/request-url.js';
import { guardedRoute, type ConsoleContext } from './router.js';
import { SseStreams } from './sse.js';

/** The API paths whose writes change what the Events page lists. */
const CHANGES = /^\/2\/(webhooks|account_activity|activity\/subscriptions)(\/|$)/;
/** Admin writes that may rebuild the services (reset, fixture, import, snapshot restore): the deliverer is new after them. */
export const REBUILDS = /^\/_roost\/(reset|fixture|snapshots\/[^/]+\/restore)$/;

export function registerDeliveriesStream(app: FastifyInstance, ctx: ConsoleContext): void {
  const streams = new SseStreams(app);
  const open = new Set<{ push(event: string, data: string): void; bind(): void }>();
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
    // The deliverer of the services now: a reset builds a new one, and bind() moves to it.
    let unwatch: () => unknown = () => undefined;
    let watched: unknown = null;
    const stream = streams.start(req, reply, () => {
      unwatch();
      open.delete(entry);
    });
    const entry = { push: (event: string, data: string) => stream.send(event, data), bind };
    stream.comment('open');
    function bind(): void {
      const deliverer = ctx.services.webhooks.deliverer;
      if (deliverer === watched) return;
      unwatch();
      watched = deliverer;
      unwatch = deliverer.onAttempt((a) =>
        stream.send('attempt', JSON.stringify({ webhook_id: a.webhookId.toString(), event_seq: a.eventSeq.toString(), status: a.status })));
    }
    bind();
    open.add(entry);
  });
}
