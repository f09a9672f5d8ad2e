// The console's live request log: what each API request carried and got back, kept only while
// someone watches (an SSE subscriber). With no subscriber the hooks return at their first line,
// so the console costs an API request nothing when nobody has it open.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { callerName } from '../auth/authenticate.js';
import type { OAuth1Explanation } from '../auth/oauth1-explain.js';
import { pathOf } from '../http/request-url.js';

export interface CapturedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  /** the route as declared (`/2/users/:id/followers`), or the path when none matched */
  route: string;
  status: number;
  /** screen name, or the app's name for app-only calls */
  caller: string | null;
  app: string | null;
  /** oauth1, oauth2-user, app-only, none, or the refusal (invalid-token, stale-timestamp, ...) */
  auth: string;
  rateRemaining: number | null;
  ms: number;
  query: string;
  body: string;
  requestHeaders: Record<string, string>;
  replyHeaders: Record<string, string>;
  reply: string;
  explanation: OAuth1Explanation | null;
}

/** The newest this many are kept: the client's virtual list shows them all. */
export const KEEP = 10_000;
const BODY_CAP = 64 * 1024;
/** At most BODY_CAP characters, saying so when some were dropped. */
const bounded = (text: string): string => (text.length <= BODY_CAP ? text : `${text.slice(0, BODY_CAP)}\n… (cut here: only the first ${BODY_CAP} characters are kept)`);
const NOT_KEPT = '(not kept: only API request and reply bodies are)';

type Listener = (r: CapturedRequest) => void;

export class Capture {
  private readonly entries: CapturedRequest[] = [];
  private readonly listeners = new Set<Listener>();
  private seq = 0;
  private readonly payloads = new WeakMap<FastifyRequest, string>();

  get active(): boolean {
    return this.listeners.size > 0;
  }

  /** Subscribes; the returned function unsubscribes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recent(): readonly CapturedRequest[] {
    return this.entries;
  }

  find(seq: number): CapturedRequest | undefined {
    return this.entries.find((e) => e.seq === seq);
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** The hooks on the API app; `skip` names paths never captured (the console's own). */
  install(app: FastifyInstance, skip: (path: string) => boolean, now: () => number): void {
    app.addHook('onSend', async (req, _reply, payload) => {
      if (this.listeners.size === 0) return payload;
      if (typeof payload === 'string') this.payloads.set(req, bounded(payload));
      else if (Buffer.isBuffer(payload)) this.payloads.set(req, bounded(payload.subarray(0, BODY_CAP + 1).toString('utf8')));
      return payload;
    });
    app.addHook('onResponse', async (req, reply) => {
      if (this.listeners.size === 0) return;
      const path = pathOf(req);
      if (skip(path)) return;
      this.add(this.entryOf(req, reply, path, now()));
    });
  }

  private add(entry: CapturedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
    for (const l of this.listeners) l(entry);
  }

  private entryOf(req: FastifyRequest, reply: FastifyReply, path: string, nowMs: number): CapturedRequest {
    const caller = req.authCaller;
    const remaining = reply.getHeader('x-rate-limit-remaining');
    const url = req.raw.url ?? '';
    const q = url.indexOf('?');
    // Bodies of the sign-in pages and token endpoints carry passwords and fresh tokens: only the
    // API's are kept.
    const api = path.startsWith('/1.1/') || path.startsWith('/2/');
    return {
      seq: ++this.seq,
      at: new Date(nowMs).toISOString(),
      method: req.method,
      path,
      route: req.routeOptions.url ?? path,
      status: reply.statusCode,
      caller: callerName(caller),
      app: caller?.app.name ?? null,
      auth: caller === null ? (req.authFailure ?? 'none') : caller.kind === 'user' ? 'oauth1' : caller.kind === 'app' ? 'app-only' : 'oauth2-user',
      rateRemaining: remaining === undefined ? null : Number(remaining),
      ms: Math.round(reply.elapsedTime * 100) / 100,
      query: q < 0 ? '' : url.slice(q + 1),
      // Kept as sent (a form, JSON or anything else); the console decides how to show it.
      body: !api ? NOT_KEPT : typeof req.body === 'string' ? bounded(req.body) : '',
      requestHeaders: headerRecord(req.headers),
      replyHeaders: headerRecord(reply.getHeaders()),
      reply: api ? this.payloads.get(req) ?? '' : NOT_KEPT,
      explanation: req.authExplanation,
    };
  }
}

function headerRecord(h: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    // Secrets stay out of the log: the console shows that a credential was sent, not which.
    out[k] = k === 'authorization' || k === 'cookie' ? redact(String(v)) : Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

function redact(v: string): string {
  if (/^oauth\s/i.test(v)) return v.replace(/oauth_signature="[^"]*"/, 'oauth_signature="…"');
  return v.replace(/^(\S+\s+).*/, '$1…');
}
