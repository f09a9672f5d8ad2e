// Headers every answer carries unless its route chose its own: never cached (API replies hold
// per-caller data), never content-sniffed, and HTML never framed.
import type { FastifyInstance } from 'fastify';

const HTML = /^text\/html\b/i;

export function securityHeaders(app: FastifyInstance): void {
  // Callback style: an async hook costs a promise per request.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (!reply.hasHeader('x-content-type-options')) reply.header('x-content-type-options', 'nosniff');
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && HTML.test(type)) {
      if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', "frame-ancestors 'none'");
      if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY');
    }
    done(null, payload);
  });
}
