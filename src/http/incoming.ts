// Decodes a request's parameters once: the query, and a form body when there is one (§2.3).
import type { FastifyRequest } from 'fastify';
import { firstValues, parseForm, type Param } from './form.js';
import { rawQuery } from './request-url.js';

export interface Incoming {
  query: Param[];
  /** form body pairs; empty unless the body is application/x-www-form-urlencoded */
  body: Param[];
  /** query and body merged, first occurrence of a name, the body winning over the query */
  values: Map<string, string>;
}

export class UndecodableError extends Error {}

export function isForm(req: FastifyRequest): boolean {
  return /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
}

export function decodeIncoming(req: FastifyRequest): Incoming {
  const query = parseForm(rawQuery(req));
  const rawBody = typeof req.body === 'string' && isForm(req) ? req.body : '';
  const body = parseForm(rawBody);
  if (!query || !body) throw new UndecodableError();
  const values = firstValues(query);
  for (const [k, v] of firstValues(body)) values.set(k, v);
  return { query, body, values };
}
