// The admin routes' prefix and guard: `Authorization: Bearer <admin token>`, compared in constant time.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../auth/credentials.js';

export const ADMIN_PREFIX = '/_roost/';

export function adminError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ error: message }));
}

/** The console keeps the token in this cookie (HttpOnly, SameSite=Strict, Path=/_roost/). */
export const CONSOLE_COOKIE = 'roost_console';
/** Writes with the cookie also carry this header, which no cross-site form can send. */
export const CONSOLE_HEADER = 'x-roost-console';

function cookieToken(req: FastifyRequest): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === CONSOLE_COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

/** Whether the request carries the token: as a bearer, or as the console's cookie. */
export function carriesToken(req: FastifyRequest, token: string): boolean {
  const m = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (m) return safeEqual(m[1]!, token);
  const fromCookie = cookieToken(req);
  if (fromCookie === null || !safeEqual(fromCookie, token)) return false;
  return req.method === 'GET' || req.method === 'HEAD' || req.headers[CONSOLE_HEADER] !== undefined;
}

/** Answers 401 and returns false unless the request carries the admin token. */
export function admitted(req: FastifyRequest, reply: FastifyReply, adminToken: string): boolean {
  if (carriesToken(req, adminToken)) return true;
  adminError(reply.header('www-authenticate', 'Bearer realm="roost admin"'), 401, 'admin routes need Authorization: Bearer <admin token> (printed at start; ROOST_ADMIN_TOKEN)');
  return false;
}
