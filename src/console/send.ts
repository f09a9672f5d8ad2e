// The request builder's route: roost signs the request with a stored credential (a fixture
// token as OAuth 1.0a or OAuth 2.0, or an app's bearer), sends it to itself in process, and
// answers the reply together with a curl command signed the same way (with its own nonce, so it
// can be pasted once).
import type { FastifyInstance } from 'fastify';
import { percentEncode } from '../auth/oauth1-signature.js';
import type { Param } from '../auth/percent-encoding.js';
import { bodyOf, ConsoleInputError, guardedRoute, sendJson, type ConsoleContext } from './router.js';
import { credentials } from './send-credentials.js';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

const form = (params: readonly Param[]) => params.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** What goes where: v1.1 writes carry a form body (signed); v2 writes a JSON body (never signed). */
interface Shape {
  query: Param[];
  /** form pairs, part of the OAuth 1.0a base string */
  form: Param[] | null;
  json: string | null;
}

function shapeOf(method: Method, path: string, params: Param[], json: unknown): Shape {
  if (path.startsWith('/1.1/')) return method === 'POST' ? { query: [], form: params, json: null } : { query: params, form: null, json: null };
  const hasBody = (method === 'POST' || method === 'PUT') && json !== undefined;
  if (hasBody && (typeof json !== 'object' || json === null || Array.isArray(json))) throw new ConsoleInputError('json must be an object');
  return { query: params, form: null, json: hasBody ? JSON.stringify(json) : null };
}

export function registerSend(app: FastifyInstance, ctx: ConsoleContext): void {
  const signerFor = credentials(ctx);
  guardedRoute(app, ctx, 'POST', 'send', async (req, reply) => {
    const b = bodyOf(req);
    const method = (typeof b.method === 'string' ? b.method.toUpperCase() : 'GET') as Method;
    if (!METHODS.includes(method)) throw new ConsoleInputError(`method must be one of ${METHODS.join(', ')}`);
    const path = typeof b.path === 'string' ? b.path : '';
    if (!/^\/(1\.1|2)\/[A-Za-z0-9_/.:-]+$/.test(path)) throw new ConsoleInputError('path must be an API path such as /2/users/me');
    const raw = (b.params ?? {}) as Record<string, unknown>;
    const params: Param[] = Object.entries(raw).filter(([, v]) => v !== '' && v !== undefined && v !== null).map(([k, v]) => [k, String(v)]);
    const scopes = Array.isArray(b.scopes) ? b.scopes.filter((s): s is string => typeof s === 'string') : [];
    const shape = shapeOf(method, path, params, b.json);
    const host = req.headers.host ?? 'localhost';
    const url = `http://${host}${path}`;
    const target = shape.query.length === 0 ? path : `${path}?${form(shape.query)}`;
    const signer = await signerFor(typeof b.credential === 'string' ? b.credential : '', scopes);
    const signed = [...shape.query, ...(shape.form ?? [])];
    const contentType = shape.form ? 'application/x-www-form-urlencoded' : shape.json !== null ? 'application/json' : null;
    const payload = shape.form ? form(shape.form) : shape.json;
    const headers: Record<string, string> = { host };
    if (signer) headers.authorization = signer.header(method, url, signed);
    if (contentType) headers['content-type'] = contentType;
    const started = process.hrtime.bigint();
    const res = await ctx.api.inject({ method, url: target, headers, ...(payload !== null ? { payload } : {}) });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const curl = ['curl', '-sS', '-X', method,
      ...(signer ? ['-H', shellQuote(`Authorization: ${signer.header(method, url, signed)}`)] : []),
      ...(contentType ? ['-H', shellQuote(`Content-Type: ${contentType}`)] : []),
      ...(payload !== null ? ['--data', shellQuote(payload)] : []),
      shellQuote(`http://${host}${target}`)].join(' ');
    return sendJson(reply, 200, {
      status: res.statusCode, ms: Math.round(ms * 100) / 100,
      headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])),
      body: res.body, curl,
    });
  });
}
