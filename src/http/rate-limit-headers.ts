// The three x-rate-limit-* headers, written the same way by the request pipeline and by
// emulator mode's scripted 429s.
import type { FastifyReply } from 'fastify';

export function setRateLimitHeaders(reply: FastifyReply, window: { limit: number; remaining: number; reset: number }): void {
  reply.headers({
    'x-rate-limit-limit': String(window.limit),
    'x-rate-limit-remaining': String(window.remaining),
    'x-rate-limit-reset': String(window.reset),
  });
}
