// Routes that shape and read a run: export and named snapshots of the whole state (emulator
// mode, kept as files beside its database), rate-limit windows per caller and endpoint, usage
// over time (counted by usage-recorder.ts), and the apps and tokens with their secrets (only when
// asked for them).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../auth/authenticate.js';
import { appJson } from '../admin/credentials-json.js';
import { SnapshotShelf } from '../emulator/snapshots.js';
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

export function registerRunRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  guardedRoute(app, ctx, 'GET', 'export', async (_req, reply) => {
    const text = await exportFixture(ctx.services, needEmulator(ctx));
    return reply.code(200).header('content-type', 'application/yaml; charset=utf-8')
      .header('content-disposition', 'attachment; filename="roost-state.yaml"').send(text);
  });

  // Snapshots are files beside the emulator's database (src/emulator/snapshots.ts); its path never changes.
  const shelf = () => {
    needEmulator(ctx);
    return new SnapshotShelf(ctx.services.config.db);
  };
  const existing = (req: FastifyRequest) => {
    const s = shelf();
    const name = (req.params as { name: string }).name;
    if (!s.has(name)) throw new ConsoleInputError(`no snapshot ${name}`, 404);
    return { s, name };
  };
  guardedRoute(app, ctx, 'GET', 'snapshots', async (_req, reply) => {
    const s = shelf();
    return sendJson(reply, 200, { dir: s.dir, snapshots: s.list().map((i) => ({ ...i })) });
  });
  guardedRoute(app, ctx, 'POST', 'snapshots', async (req, reply) => {
    const s = shelf();
    const emulator = needEmulator(ctx);
    const given = bodyOf(req).name;
    const name = typeof given === 'string' ? given : '';
    s.fileOf(name); // refuses a bad name with 400
    // Queued with resets and restores: a copy never sees a database half emptied or half replaced.
    const info = await emulator.exclusive(async () => s.save(name, ctx.services.config.db, emulator.outsideState(ctx.services)));
    return sendJson(reply, 201, { ...info });
  });
  guardedRoute(app, ctx, 'POST', 'snapshots/:name/restore', async (req, reply) => {
    const { s, name } = existing(req);
    const { file, state } = s.read(name);
    await needEmulator(ctx).restore(ctx.services, file, state);
    return sendJson(reply, 200, { restored: name, clock: new Date(ctx.services.clock.now()).toISOString() });
  });
  guardedRoute(app, ctx, 'DELETE', 'snapshots/:name', async (req, reply) => {
    const { s, name } = existing(req);
    s.delete(name);
    return reply.code(204).send();
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
