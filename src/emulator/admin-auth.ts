// The admin routes' prefix and guard: `Authorization: Bearer <admin token>`, compared in constant time.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../auth/credentials.js';

export const ADMIN_PREFIX = '/_roost/';

export function adminError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ error: message }));
}

/** Answers 401 and returns false unless the request carries the admin token. */
export function admitted(req: FastifyRequest, reply: FastifyReply, adminToken: string): boolean {
  const m = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (m && safeEqual(m[1]!, adminToken)) return true;
  adminError(reply.header('www-authenticate', 'Bearer realm="roost admin"'), 401, 'admin routes need Authorization: Bearer <admin token> (printed at start; ROOST_ADMIN_TOKEN)');
  return false;
}
