// The request builder's route: roost signs the request with a stored credential (a fixture
// token, or an app's bearer), sends it to itself in process, and answers the reply together with
// a curl command signed the same way (with its own nonce, so it can be pasted once).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { percentEncode, sign, signatureBaseString } from '../auth/oauth1-signature.js';
import type { Param } from '../auth/percent-encoding.js';
import { bodyOf, ConsoleInputError, guardedRoute, needEmulator, sendJson, type ConsoleContext } from './router.js';

interface OAuth1Keys {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

function oauthHeader(keys: OAuth1Keys, method: string, url: string, params: readonly Param[], nowSeconds: number): string {
  const oauth: Param[] = [
    ['oauth_consumer_key', keys.consumerKey], ['oauth_nonce', randomBytes(16).toString('hex')], ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(nowSeconds)], ['oauth_token', keys.token], ['oauth_version', '1.0'],
  ];
  const signature = sign(signatureBaseString(method, url, [...params, ...oauth]), keys.consumerSecret, keys.tokenSecret);
  return `OAuth ${[...oauth, ['oauth_signature', signature] as Param].map(([k, v]) => `${k}="${percentEncode(v)}"`).join(', ')}`;
}

const form = (params: readonly Param[]) => params.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function registerSend(app: FastifyInstance, ctx: ConsoleContext): void {
  guardedRoute(app, ctx, 'POST', 'send', async (req, reply) => {
    const b = bodyOf(req);
    const method = typeof b.method === 'string' ? b.method.toUpperCase() : 'GET';
    if (!['GET', 'POST', 'DELETE'].includes(method)) throw new ConsoleInputError('method must be GET, POST or DELETE');
    const path = typeof b.path === 'string' ? b.path : '';
    if (!/^\/(1\.1|2)\/[A-Za-z0-9_/.:-]+$/.test(path)) throw new ConsoleInputError('path must be an API path such as /2/users/me');
    const raw = (b.params ?? {}) as Record<string, unknown>;
    const params: Param[] = Object.entries(raw).filter(([, v]) => v !== '' && v !== undefined && v !== null).map(([k, v]) => [k, String(v)]);
    const host = req.headers.host ?? 'localhost';
    const url = `http://${host}${path}`;
    const inBody = method === 'POST' && path.startsWith('/1.1/');
    const headers: Record<string, string> = { host };
    const credential = typeof b.credential === 'string' ? b.credential : '';
    const authFor = (): string | undefined => {
      if (credential === '') return undefined;
      if (credential.startsWith('app:')) {
        const a = needEmulator(ctx).loaded.apps.get(credential.slice(4));
        if (!a?.bearerToken) throw new ConsoleInputError(`no app ${credential.slice(4)} with a bearer token`);
        return `Bearer ${a.bearerToken}`;
      }
      const t = needEmulator(ctx).loaded.tokens.get(credential);
      if (!t) throw new ConsoleInputError(`no token named ${credential}`);
      const keys = { consumerKey: t.app.consumerKey, consumerSecret: t.app.consumerSecret, token: t.row.token, tokenSecret: t.row.secret };
      // Clients sign with the wall clock, and roost checks oauth_timestamp against it.
      return oauthHeader(keys, method, url, params, Math.floor(Date.now() / 1000));
    };
    const authorization = authFor();
    if (authorization) headers.authorization = authorization;
    if (inBody) headers['content-type'] = 'application/x-www-form-urlencoded';
    const target = inBody || params.length === 0 ? path : `${path}?${form(params)}`;
    const started = process.hrtime.bigint();
    const res = await ctx.api.inject({ method: method as 'GET', url: target, headers, ...(inBody ? { payload: form(params) } : {}) });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const curlAuth = authFor();
    const curl = ['curl', '-sS', '-X', method, ...(curlAuth ? ['-H', shellQuote(`Authorization: ${curlAuth}`)] : []),
      ...(inBody ? ['--data', shellQuote(form(params))] : []), shellQuote(`${url}${inBody || params.length === 0 ? '' : `?${form(params)}`}`)].join(' ');
    return sendJson(reply, 200, {
      status: res.statusCode, ms: Math.round(ms * 100) / 100,
      headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])),
      body: res.body, curl,
    });
  });
}
