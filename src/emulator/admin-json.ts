// What the admin routes share: JSON bodies in and out, and the guard's signature.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Bad input to an admin route: answered 400 with its message. */
export class BadRequestError extends Error {}

/** A route under /_roost/ that answers only the admin token. */
export type Guarded = (method: 'GET' | 'POST' | 'DELETE', path: string, run: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => void;

export function jsonBody(req: FastifyRequest): Record<string, unknown> {
  const text = typeof req.body === 'string' ? req.body : '';
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new BadRequestError('the body must be JSON');
  }
  if (typeof value !== 'object' || value === null) throw new BadRequestError('the body must be a JSON object or array');
  return value as Record<string, unknown>;
}

export const send = (reply: FastifyReply, status: number, body: unknown) =>
  reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
