// GET /2/activity/stream: a persistent answer of newline-delimited ActivityStreamResponse lines
// (activity-lines.ts), at most `streamsPerApp` open per app on this process (X allows 1-2).
import type { UserId, UserRow } from '../../graph/types.js';
import { invalidRequest, V2Problem } from '../../wire/v2/problems.js';
import type { Services } from '../deps.js';
import { ANSWERED } from '../pipeline.js';
import { ActivityLines, type StreamWindow } from './activity-lines.js';
import type { V2Context, V2Handler } from './context.js';
import { API_VERSION } from './dialect.js';

const MINUTE = 60_000;

/** The users an event names, suspended ones too (the event happened); ids no longer stored are absent. */
async function usersById(s: Services, ids: readonly UserId[]): Promise<Map<UserId, UserRow>> {
  const out = new Map<UserId, UserRow>();
  for (const f of await s.graph.reads.usersByIds(ids)) if (f.visibility !== 'not-found') out.set(f.user.id, f.user);
  return out;
}

/** The streams open on one server (its Services), by app. */
class OpenStreams {
  readonly byApp = new Map<bigint, Set<ActivityLines>>();

  add(appId: bigint, s: ActivityLines): void {
    let set = this.byApp.get(appId);
    if (!set) this.byApp.set(appId, (set = new Set()));
    set.add(s);
    s.once('close', () => {
      set.delete(s);
      if (set.size === 0) this.byApp.delete(appId);
    });
  }

  count(appId: bigint): number {
    return this.byApp.get(appId)?.size ?? 0;
  }

  /** Ends every stream: a stopping server waits for open answers, and these never end on their own. */
  closeAll(): void {
    for (const set of this.byApp.values()) for (const s of set) s.finish();
  }
}

const registry = new WeakMap<Services, OpenStreams>();
export function openStreams(services: Services): OpenStreams {
  let r = registry.get(services);
  if (!r) registry.set(services, (r = new OpenStreams()));
  return r;
}

/** X's answer when a stream is already open as often as allowed (its filtered stream's words). */
const tooManyConnections = () => new V2Problem(429, {
  title: 'ConnectionException',
  detail: 'This stream is currently at the maximum allowed connection limit.',
  connection_issue: 'TooManyConnections',
  type: 'https://api.twitter.com/2/problems/streaming-connection',
});

/** start_time, else backfill_minutes; end_time alone replays the backfill's longest reach before it. */
function windowOf(ctx: V2Context, now: number): StreamWindow {
  const backfill = ctx.args.int('backfill_minutes');
  const start = ctx.args.time('start_time');
  const end = ctx.args.time('end_time');
  if (start !== undefined && end !== undefined && start > end) {
    throw invalidRequest([{ parameters: { start_time: [new Date(start).toISOString()], end_time: [new Date(end).toISOString()] }, message: 'The `start_time` query parameter value must be before the `end_time` query parameter value' }]);
  }
  const fromMs = start ?? (backfill > 0 ? now - backfill * MINUTE : end !== undefined ? end - 5 * MINUTE : null);
  return { fromMs, toMs: end ?? null };
}

export const stream: V2Handler = async (ctx) => {
  const s = ctx.services;
  const now = s.clock.now();
  const window = windowOf(ctx, now);
  const appId = ctx.caller.app.id;
  const open = openStreams(s);
  if (open.count(appId) >= s.config.activity.streamsPerApp) throw tooManyConnections();
  const events = s.events;
  const lines = new ActivityLines({
    appId, log: events.log, feed: events.feed, subscriptions: s.activity, users: (ids) => usersById(s, ids), assets: ctx.assets,
    keepAliveMs: s.config.activity.keepAliveMs, subscriptionCap: s.config.activity.subscriptionsPerApp,
    now: () => s.clock.now(), window,
  });
  open.add(appId, lines);
  const reply = ctx.reply;
  reply.raw.once('close', () => lines.destroy());
  // Fastify sends a stream's headers with its first bytes, which may be a keep-alive 20 s away:
  // a client learns it is connected as soon as the stream is piped instead.
  reply.raw.once('pipe', () => { if (!reply.raw.headersSent) reply.raw.flushHeaders(); });
  void reply.code(200).headers({
    'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache, no-store, max-age=0',
    'x-content-type-options': 'nosniff', 'api-version': API_VERSION,
  }).send(lines);
  return ANSWERED;
};
