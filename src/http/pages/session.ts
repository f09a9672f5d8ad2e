// The browser session of the sign-in pages and the CSRF tokens of their forms.
//
// A session is a random id in an HttpOnly, SameSite=Lax cookie. A signed-in session is kept by
// the server as {user, csrf secret} under the id's SHA-256 in the SingleUseStore (so several
// processes share it when Redis is configured, and a leaked store does not hold usable cookies).
// A visitor who has not signed in gets an anonymous session on the first page, so even the
// sign-in form is CSRF-protected; it lives only in the cookie, whose random id is its CSRF
// secret, so anonymous visits cost the server nothing to remember. A stored anonymous session
// would protect no better: anyone can fetch one and plant its cookie just the same. Signing in
// replaces it with a new id (no session fixation).
//
// A form's CSRF token is HMAC(session secret, form name + what the form acts on): bound to the
// session and to that one form, compared in constant time.
import { createHash, createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SingleUseStore } from '../../auth/single-use-store.js';
import { randomToken, safeEqual } from '../../auth/credentials.js';
import type { ServerConfig } from '../../config.js';
import type { UserId } from '../../graph/types.js';
import { requestOrigin } from '../request-url.js';

export const SESSION_COOKIE = 'roost_session';
/** An anonymous session only carries the sign-in form's CSRF secret; its cookie lives this long. */
export const ANONYMOUS_SESSION_MS = 30 * 60 * 1000;
/** A signed-in session; not extended by use. */
export const SIGNED_IN_SESSION_MS = 12 * 60 * 60 * 1000;

export interface Session {
  id: string;
  userId: UserId | null;
  csrfSecret: string;
}

interface Stored {
  userId: string | null;
  csrfSecret: string;
}

const keyOf = (id: string) => `session:${createHash('sha256').update(id).digest('hex')}`;

function cookieValue(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export class Sessions {
  constructor(private readonly store: SingleUseStore, private readonly config: ServerConfig) {}

  /** The session the request's cookie names: signed in if the server holds it, else anonymous. */
  async current(req: FastifyRequest): Promise<Session | null> {
    const id = cookieValue(req, SESSION_COOKIE);
    if (!id || !/^[A-Za-z0-9]{43}$/.test(id)) return null;
    const raw = await this.store.get(keyOf(id));
    if (raw === null) return { id, userId: null, csrfSecret: id };
    const stored = JSON.parse(raw) as Stored;
    return { id, userId: stored.userId === null ? null : BigInt(stored.userId), csrfSecret: stored.csrfSecret };
  }

  /** The current session, or a new anonymous one (its cookie set on the reply; nothing stored). */
  async currentOrAnonymous(req: FastifyRequest, reply: FastifyReply): Promise<Session> {
    const current = await this.current(req);
    if (current) return current;
    const id = randomToken(43);
    reply.header('set-cookie', this.cookie(req, id, ANONYMOUS_SESSION_MS));
    return { id, userId: null, csrfSecret: id };
  }

  /** A fresh signed-in session (new id, new CSRF secret); the old one, if any, is dropped. */
  async start(req: FastifyRequest, reply: FastifyReply, userId: UserId, previous?: Session): Promise<Session> {
    if (previous) await this.store.take(keyOf(previous.id));
    const session: Session = { id: randomToken(43), userId, csrfSecret: randomToken(43) };
    const stored: Stored = { userId: userId.toString(), csrfSecret: session.csrfSecret };
    await this.store.put(keyOf(session.id), JSON.stringify(stored), SIGNED_IN_SESSION_MS);
    reply.header('set-cookie', this.cookie(req, session.id));
    return session;
  }

  private cookie(req: FastifyRequest, id: string, maxAgeMs?: number): string {
    const https = this.config.publicUrl?.startsWith('https:') || requestOrigin(req, this.config).scheme === 'https';
    const maxAge = maxAgeMs === undefined ? '' : `; Max-Age=${maxAgeMs / 1000}`;
    return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax${maxAge}${https ? '; Secure' : ''}`;
  }
}

/** The CSRF token of one form (`form`) acting on one thing (`binding`) in this session. */
export function csrfToken(session: Session, form: string, binding: string): string {
  return createHmac('sha256', session.csrfSecret).update(`${form}\n${binding}`).digest('base64url');
}

export function csrfValid(session: Session | null, form: string, binding: string, token: string | undefined): boolean {
  if (!session || !token) return false;
  return safeEqual(csrfToken(session, form, binding), token);
}
