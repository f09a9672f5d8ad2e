// The console's page and assets at /_roost/console. The token is taken once (`?token=` or the
// sign-in form) and kept in an HttpOnly, SameSite=Strict cookie scoped to /_roost/; without it the
// page answers 401 with the form. The client bundle is built into dist/console/public
// (scripts/build-console.mjs) and served from there; nothing is loaded from elsewhere.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../auth/credentials.js';
import { carriesToken, CONSOLE_COOKIE } from '../emulator/admin-auth.js';
import type { ConsoleContext } from './router.js';

/** Where the bundle is, from src/console/ (tsx) and dist/console/ (built) alike. */
const PUBLIC = new URL('../../dist/console/public/', import.meta.url);
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function asset(name: string): Buffer | null {
  try {
    return readFileSync(new URL(name, PUBLIC));
  } catch {
    return null;
  }
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('content-security-policy', CSP)
    .header('referrer-policy', 'no-referrer').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>roost console</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/_roost/console/app.css"></head>
${body}</html>`);
}

function signInPage(reply: FastifyReply, status: number, error: string | null): FastifyReply {
  return html(reply, status, `<body class="signin"><main><h1>roost console</h1>
<form method="post" action="/_roost/console/login"><label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="off" required autofocus>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}<button type="submit">Open the console</button></form>
<p class="hint">The token <code>serve --emulator</code> printed (or <code>ROOST_CONSOLE_TOKEN</code>).</p></main></body>`);
}

export function registerPage(app: FastifyInstance, ctx: ConsoleContext): void {
  const secure = ctx.services.config.tls ? '; Secure' : '';
  const keep = (reply: FastifyReply, token: string) =>
    reply.header('set-cookie', `${CONSOLE_COOKIE}=${encodeURIComponent(token)}; Path=/_roost/; HttpOnly; SameSite=Strict${secure}`);
  const valid = (t: unknown): t is string => typeof t === 'string' && t !== '' && safeEqual(t, ctx.token);

  app.get('/_roost/console', async (req: FastifyRequest, reply) => {
    const given = (req.query as { token?: string }).token;
    if (given !== undefined) {
      if (!valid(given)) return signInPage(reply, 401, 'That token is not the console\'s.');
      // The token leaves the address bar (and the history) at once.
      return keep(reply, given).redirect('/_roost/console', 303);
    }
    if (!carriesToken(req, ctx.token)) return signInPage(reply, 401, null);
    return html(reply, 200, `<body><noscript>The console needs JavaScript.</noscript><div id="app"></div>
<script type="module" src="/_roost/console/app.js"></script></body>`);
  });

  app.post('/_roost/console/login', async (req, reply) => {
    const token = new URLSearchParams(typeof req.body === 'string' ? req.body : '').get('token');
    if (!valid(token)) return signInPage(reply, 401, 'That token is not the console\'s.');
    return keep(reply, token).redirect('/_roost/console', 303);
  });

  app.post('/_roost/console/logout', async (_req, reply) =>
    reply.header('set-cookie', `${CONSOLE_COOKIE}=; Path=/_roost/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`).redirect('/_roost/console', 303));

  // What this roost serves that the console shows when present (follow events' deliveries).
  app.get('/_roost/console/features', async (req, reply) => {
    if (!carriesToken(req, ctx.token)) return reply.code(401).send({ error: 'the console routes need the admin (or console) token' });
    return reply.code(200).send({ deliveries: ctx.api.hasRoute({ method: 'GET', url: '/_roost/deliveries' }) });
  });

  for (const [name, type] of [['app.js', 'text/javascript'], ['app.css', 'text/css']] as const) {
    app.get(`/_roost/console/${name}`, async (_req, reply) => {
      const body = asset(name);
      if (!body) return reply.code(404).header('content-type', 'text/plain').send(`${name} is not built: run npm run build`);
      return reply.code(200).header('content-type', `${type}; charset=utf-8`).header('cache-control', 'no-cache').send(body);
    });
  }
}
