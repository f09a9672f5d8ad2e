// What differs between the two APIs on one request path: how each words a refusal and an error,
// and which headers its answers carry. The pipeline (pipeline.ts) is written once against this.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../auth/authenticate.js';
import type { RateState } from '../limits/rate-limiter.js';
import type { Json } from '../wire/json.js';

/** Why the pipeline refused a caller an endpoint, before the endpoint ran. */
export type Refusal =
  | 'oauth2-user' // an OAuth 2.0 user token where the API takes none (v1.1)
  | 'app-only' // an app-only bearer where the endpoint takes none
  | 'user-context' // a user's token where the endpoint takes only an app-only bearer
  | 'scope' // an OAuth 2.0 token without every scope the endpoint needs
  | 'read-only' // a read-only token on a write
  | 'suspended' // the caller's account is suspended
  | 'locked'; // the caller's account is locked, on a write

export interface Dialect {
  /** the error for a query or form body that cannot be decoded */
  undecodable(): Error;
  /** the error for a failed authentication (an AuthError; anything else passes through) */
  authFailed(err: unknown): unknown;
  refused(reason: Refusal): Error;
  /** the error for an exceeded window; sets whatever headers the API adds to it */
  rateLimited(reply: FastifyReply, state: RateState, nowMs: number): Error;
  /** headers every answer to an authenticated caller carries */
  callerHeaders(reply: FastifyReply, caller: Caller): void;
  sendOk(reply: FastifyReply, body: Json): FastifyReply;
  /** a thrown error in the API's format; anything it does not know is a 500 without internals */
  sendError(reply: FastifyReply, err: unknown, req: FastifyRequest): FastifyReply;
  /**
   * An answer made outside any endpoint: an unknown route (404), a stopping server (503), an
   * emulator fault (429, 500, 503), Fastify's own refusals (other 4xx).
   */
  sendStatus(reply: FastifyReply, status: number): FastifyReply;
}
