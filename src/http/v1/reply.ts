// How v1.1 replies look on the wire: JSON with Twitter's headers, errors in its two formats.
import type { FastifyReply } from 'fastify';
import { encodeJson, type Json } from '../../wire/json.js';
import { V1, V1Error, V1LegacyError } from '../../wire/v1/errors.js';

export const JSON_TYPE = 'application/json;charset=utf-8';

export const API_HEADERS = {
  'content-type': JSON_TYPE,
  'cache-control': 'no-cache, no-store, must-revalidate, pre-check=0, post-check=0',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
};

export function sendJson(reply: FastifyReply, status: number, body: Json): FastifyReply {
  return reply.code(status).headers(API_HEADERS).send(encodeJson(body));
}

export function errorBody(err: V1Error): Json {
  const e: Record<string, Json> = { code: err.def.code };
  if (err.label) e.label = err.label;
  e.message = err.message;
  return { errors: [e] };
}

/** Sends a Twitter error; anything that is not one becomes 500/131 without internals. */
export function sendV1Error(reply: FastifyReply, err: unknown, path: string): FastifyReply {
  if (err instanceof V1Error) return sendJson(reply, err.def.status, errorBody(err));
  if (err instanceof V1LegacyError) return sendJson(reply, err.status, { request: path, error: err.message });
  reply.log.error({ err }, 'unhandled error');
  return sendJson(reply, 500, errorBody(new V1Error(V1.internalError)));
}
