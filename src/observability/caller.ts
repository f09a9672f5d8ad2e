// Who made a request, noted on it once authentication has answered, for the request log and the
// auth-failure counter. Routers pass their authenticate() call through observeAuth.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthError, type Caller } from '../auth/authenticate.js';
import type { OAuth1Explanation } from '../auth/oauth1-explain.js';

export type CallerKind = 'user' | 'app' | 'anonymous';

declare module 'fastify' {
  interface FastifyRequest {
    callerKind: CallerKind;
    /** why the credentials were refused, when they were */
    authFailure: string | null;
    /** who the pipeline authenticated (for the console's request log) */
    authCaller: Caller | null;
    /** the refused OAuth 1.0a request explained, when the authenticator explains */
    authExplanation: OAuth1Explanation | null;
  }
}

export function decorateCaller(app: FastifyInstance): void {
  app.decorateRequest('callerKind', 'anonymous');
  app.decorateRequest('authFailure', null);
  app.decorateRequest('authCaller', null);
  app.decorateRequest('authExplanation', null);
}

export async function observeAuth(req: FastifyRequest, pending: Promise<Caller>): Promise<Caller> {
  try {
    const caller = await pending;
    req.callerKind = caller.kind === 'app' ? 'app' : 'user';
    req.authCaller = caller;
    return caller;
  } catch (err) {
    if (err instanceof AuthError) {
      req.authFailure = err.reason;
      req.authExplanation = err.explanation;
    }
    throw err;
  }
}
