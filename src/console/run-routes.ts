// Routes that shape and read a run: export and named snapshots of the whole state (emulator
// mode), rate-limit windows per caller and endpoint, usage over time (counted by usage-recorder.ts), and the apps and tokens
// with their secrets (only when asked for them).
import type { FastifyInstance } from 'fastify';
import type { Caller } from '../auth/authenticate.js';
import { appJson } from '../admin/credentials-json.js';
import { parseFixture } from '../emulator/fixture.js';
import { isCounted, V1_ENDPOINTS, v1Path } from '../http/v1/endpoints.js';
import { V2_ENDPOINTS } from '../http/v2/endpoints.js';
import type { RateLimited } from '../limits/buckets.js';
import type { Json } from '../wire/json.js';
import { exportFixture } from './fixture-export.js';
import { bodyOf, ConsoleInputError, guardedRoute, needEmulator, sendJson, type ConsoleContext } from './router.js';
import { DIMENSIONS, type Dimension } from './usage.js';

/** Every counted endpoint, named as a client sees it. */
const WINDOWS: { name: string; rate: RateLimited }[] = [
  ...V1_ENDPOINTS.filter(isCounted).map((e) => ({ name: `${e.methods[0]} ${v1Path(e)}`, rate: e })),
  ...V2_ENDPOINTS.map((e) => ({ name: e.rateKey, rate: e })),
];

const SNAPSHOT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function registerRunRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const snapshots = new Map<string, { text: string; at: string }>();

  guardedRoute(app, ctx, 'GET', 'export', async (_req, reply) => {
    const text = await exportFixture(ctx.services, needEmulator(ctx));
    return reply.code(200).header('content-type', 'application/yaml; charset=utf-8')
      .header('content-disposition', 'attachment; filename="roost-state.yaml"').send(text);
  });

  guardedRoute(app, ctx, 'GET', 'snapshots', async (_req, reply) => {
    needEmulator(ctx);
    return sendJson(reply, 200, { snapshots: [...snapshots].map(([name, s]) => ({ name, at: s.at, bytes: s.text.length })) });
  });
  guardedRoute(app, ctx, 'POST', 'snapshots', async (req, reply) => {
    const emulator = needEmulator(ctx);
    const name = bodyOf(req).name;
    if (typeof name !== 'string' || !SNAPSHOT_NAME.test(name)) throw new ConsoleInputError('name must be 1-64 letters, digits, _ . or -');
    snapshots.set(name, { text: await exportFixture(ctx.services, emulator), at: new Date(emulator.clock.now()).toISOString() });
    return sendJson(reply, 201, { name });
  });
  // Restoring loads the snapshot as the fixture (POST /_roost/fixture's way): reset returns to it after.
  guardedRoute(app, ctx, 'POST', 'snapshots/:name/restore', async (req, reply) => {
    const emulator = needEmulator(ctx);
    const name = (req.params as { name: string }).name;
    const snap = snapshots.get(name);
    if (!snap) throw new ConsoleInputError(`no snapshot ${name}`, 404);
    await emulator.reset(ctx.services, parseFixture(snap.text, `snapshot ${name}`));
    return sendJson(reply, 200, { restored: name });
  });
  guardedRoute(app, ctx, 'DELETE', 'snapshots/:name', async (req, reply) => {
    needEmulator(ctx);
    return snapshots.delete((req.params as { name: string }).name) ? reply.code(204).send() : sendJson(reply, 404, { error: 'no such snapshot' });
  });

  // The open windows of every fixture token and app: used, remaining and when each resets.
  guardedRoute(app, ctx, 'GET', 'rate-limits', async (_req, reply) => {
    const emulator = needEmulator(ctx);
    const callers: { name: string; caller: Caller }[] = [];
    for (const [name, t] of emulator.loaded.tokens) callers.push({ name, caller: { kind: 'user', app: t.app, token: t.row, user: (await ctx.services.store.userById(t.user.id)) ?? t.user } });
    for (const [name, a] of emulator.loaded.apps) if (a.bearerToken) callers.push({ name: `app:${name}`, caller: { kind: 'app', app: a, bearer: a.bearerToken } });
    const rows: Json[] = [];
    for (const { name, caller } of callers) {
      for (const w of WINDOWS) {
        const st = await ctx.services.limiter.status(caller, w.rate);
        if (st && st.remaining < st.limit) rows.push({ caller: name, endpoint: w.name, limit: st.limit, remaining: st.remaining, reset: new Date(st.reset * 1000).toISOString() });
      }
    }
    return sendJson(reply, 200, { now: new Date(ctx.services.clock.now()).toISOString(), windows: rows });
  });

  // ?bucket_seconds= a whole number of minutes up to a day; ?by= endpoint, caller or app; ?top= series drawn.
  guardedRoute(app, ctx, 'GET', 'usage', async (req, reply) => {
    const q = req.query as { bucket_seconds?: string; by?: string; top?: string };
    const bucket = Number(q.bucket_seconds ?? 60);
    if (!Number.isInteger(bucket) || bucket < 60 || bucket > 86_400 || bucket % 60 !== 0) {
      throw new ConsoleInputError('bucket_seconds must be a whole number of minutes, 60 to 86400');
    }
    const by = (q.by ?? 'endpoint') as Dimension;
    if (!DIMENSIONS.includes(by)) throw new ConsoleInputError(`by must be one of ${DIMENSIONS.join(', ')}`);
    const top = Number(q.top ?? 6);
    if (!Number.isInteger(top) || top < 1 || top > 20) throw new ConsoleInputError('top must be 1 to 20');
    return sendJson(reply, 200, ctx.usage.query(ctx.services.clock.now(), bucket * 1000, by, top));
  });
  guardedRoute(app, ctx, 'DELETE', 'usage', async (_req, reply) => {
    ctx.usage.clear();
    return reply.code(204).send();
  });

  // Apps and tokens; secrets only with ?secrets=1, so a screen shared shows none by accident.
  guardedRoute(app, ctx, 'GET', 'apps', async (req, reply) => {
    const secrets = (req.query as { secrets?: string }).secrets === '1';
    const hide = (j: Json): Json => (secrets ? j : Object.fromEntries(Object.entries(j as Record<string, Json>).map(([k, v]) => [k, /secret|bearer/.test(k) && v !== null ? '••••' : v])));
    const named = ctx.emulator ? [...ctx.emulator.loaded.apps] : (await ctx.services.store.listApps()).map((a) => [a.name, a] as const);
    const apps = named.map(([name, a]) => ({ name, ...(hide(appJson(a)) as Record<string, Json>) }));
    const tokens = ctx.emulator
      ? [...ctx.emulator.loaded.tokens].map(([name, t]) => ({ name, app: t.app.name, screen_name: t.user.screenName, access: t.row.accessLevel,
        ...(hide({ oauth_token: t.row.token, oauth_token_secret: t.row.secret }) as Record<string, Json>) }))
      : [];
    return sendJson(reply, 200, { apps, tokens });
  });
}
