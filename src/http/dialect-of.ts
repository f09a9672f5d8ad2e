// Which API a request speaks, chosen once, by path.
import type { FastifyRequest } from 'fastify';
import type { Dialect } from './dialect.js';
import { pathOf } from './request-url.js';
import { V1_DIALECT } from './v1/dialect.js';
import { V2_DIALECT } from './v2/dialect.js';

/** The one place that tells the APIs apart by path: everything under /2/ is v2. */
export function dialectOf(req: FastifyRequest): Dialect {
  return pathOf(req).startsWith('/2/') ? V2_DIALECT : V1_DIALECT;
}
