// The data explorer's routes: users (search, create, suspend, protect, edit), a user's lists with
// cursors, and the two-hop neighbourhood the console draws. Writes go through the graph's rules
// (setState, setProtected, updateProfile), so counts move exactly as they would through the API or the CLI.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createUser } from '../admin/accounts.js';
import { ProfileTooLongError } from '../graph/profile.js';
import type { ListRef } from '../graph/reads.js';
import type { UserRow } from '../store/types.js';
import type { Json } from '../wire/json.js';
import { bodyOf, ConsoleInputError, guardedRoute, sendJson, type ConsoleContext } from './router.js';

export function userJson(u: UserRow): Json {
  return {
    id_str: u.id.toString(), screen_name: u.screenName, name: u.name, description: u.description, location: u.location,
    url: u.url, protected: u.protected, verified: u.verified, state: u.state, locked: u.locked,
    followers_count: u.followersCount, friends_count: u.friendsCount, created_at: new Date(u.createdAt).toISOString(),
  };
}

/** The lists a user page shows: the graph kind and direction of each. */
const LISTS: Record<string, Omit<ListRef, 'owner'>> = {
  followers: { kind: 'follow', dir: 'in' },
  following: { kind: 'follow', dir: 'out' },
  requests_in: { kind: 'request', dir: 'in' },
  requests_out: { kind: 'request', dir: 'out' },
  blocks: { kind: 'block', dir: 'out' },
  mutes: { kind: 'mute', dir: 'out' },
};

const str = (v: unknown, key: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ConsoleInputError(`${key} must be a string`);
  return v;
};

export function registerUserRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const s = () => ctx.services;
  const named = async (req: FastifyRequest): Promise<UserRow> => {
    const name = (req.params as { name: string }).name;
    const u = await s().store.userByScreenName(name);
    if (!u) throw new ConsoleInputError(`no user @${name}`, 404);
    return u;
  };

  guardedRoute(app, ctx, 'GET', 'users', async (req, reply) => {
    const q = ((req.query as { q?: string }).q ?? '').trim();
    const rows = q
      ? await s().graph.reads.search(q.split(/\s+/), 200)
      : [...(await s().store.usersByIds((await s().store.allUserIds()).slice(0, 200))).values()];
    return sendJson(reply, 200, { users: rows.map(userJson) });
  });

  guardedRoute(app, ctx, 'POST', 'users', async (req, reply) => {
    const b = bodyOf(req);
    const screenName = str(b.screen_name, 'screen_name');
    if (!screenName) throw new ConsoleInputError('screen_name is required');
    const u = await createUser(s().store, s().ids, s().clock, {
      screenName, name: str(b.name, 'name'), description: str(b.description, 'description'), location: str(b.location, 'location'),
      url: str(b.url, 'url') || null, protected: b.protected === true,
    });
    ctx.changes.mark('graph');
    return sendJson(reply, 201, { user: userJson(u) });
  });

  guardedRoute(app, ctx, 'GET', 'users/:name', async (req, reply) => sendJson(reply, 200, { user: userJson(await named(req)) }));

  // Profile fields; absent ones stay as they are. Through the graph's profile update, so each
  // changed field raises its profile.update.* event as the API's update_profile does.
  guardedRoute(app, ctx, 'POST', 'users/:name', async (req, reply) => {
    const u = await named(req);
    const b = bodyOf(req);
    const change = {
      ...(b.name !== undefined ? { name: str(b.name, 'name') ?? '' } : {}),
      ...(b.description !== undefined ? { description: str(b.description, 'description') ?? '' } : {}),
      ...(b.location !== undefined ? { location: str(b.location, 'location') ?? '' } : {}),
      ...(b.url !== undefined ? { url: str(b.url, 'url') ?? '' } : {}),
    };
    // A bare host gets http:// as in update_profile; another scheme is refused (a link people click).
    if (change.url && /^[a-z][a-z0-9+.-]*:/i.test(change.url) && !/^https?:\/\//i.test(change.url)) {
      throw new ConsoleInputError(`url "${change.url}" must start with http:// or https://`);
    }
    try {
      return sendJson(reply, 200, { user: userJson(await s().graph.updateProfile(u.id, change)) });
    } catch (err) {
      if (err instanceof ProfileTooLongError) throw new ConsoleInputError(err.message);
      throw err;
    }
  });

  const actions: Record<string, (u: UserRow) => Promise<UserRow>> = {
    suspend: (u) => s().graph.setState(u.id, 'suspended'),
    unsuspend: (u) => s().graph.setState(u.id, 'active'),
    deactivate: (u) => s().graph.setState(u.id, 'deactivated'),
    reactivate: (u) => s().graph.setState(u.id, 'active'),
    protect: (u) => s().graph.setProtected(u.id, true),
    unprotect: (u) => s().graph.setProtected(u.id, false),
  };
  guardedRoute(app, ctx, 'POST', 'users/:name/:action', async (req, reply) => {
    const action = actions[(req.params as { action: string }).action];
    if (!action) throw new ConsoleInputError(`actions: ${Object.keys(actions).join(', ')}`, 404);
    const u = await action(await named(req));
    // Suspension and protection record no event for the feed to tell of: said here.
    ctx.changes.mark('graph');
    return sendJson(reply, 200, { user: userJson(u) });
  });

  guardedRoute(app, ctx, 'GET', 'users/:name/lists/:list', async (req, reply) => {
    const list = LISTS[(req.params as { list: string }).list];
    if (!list) throw new ConsoleInputError(`lists: ${Object.keys(LISTS).join(', ')}`, 404);
    const q = req.query as { cursor?: string; count?: string };
    if (q.cursor !== undefined && !/^-?\d{1,19}$/.test(q.cursor)) throw new ConsoleInputError('cursor must be a whole number');
    const count = Math.min(200, Math.max(1, Number(q.count ?? 20) || 20));
    const page = await s().graph.reads.users({ ...list, owner: (await named(req)).id }, BigInt(q.cursor ?? '-1'), count);
    return sendJson(reply, 200, { users: page.users.map(userJson), next_cursor_str: String(page.next), previous_cursor_str: String(page.previous) });
  });

  guardedRoute(app, ctx, 'GET', 'users/:name/neighbourhood', async (req, reply) => sendJson(reply, 200, await neighbourhood(ctx, await named(req))));
}

/** The user, who they follow and who follows them, and the same for each of those: at most 12 a list. */
async function neighbourhood(ctx: ConsoleContext, centre: UserRow): Promise<Json> {
  const reads = ctx.services.graph.reads;
  const nodes = new Map<string, { user: UserRow; hop: number }>([[centre.screenName, { user: centre, hop: 0 }]]);
  const edges = new Set<string>();
  let frontier = [centre];
  for (let hop = 1; hop <= 2; hop++) {
    const next: UserRow[] = [];
    for (const u of frontier) {
      for (const dir of ['out', 'in'] as const) {
        const page = await reads.users({ kind: 'follow', dir, owner: u.id }, -1n, 12);
        for (const v of page.users) {
          edges.add(dir === 'out' ? `${u.screenName} ${v.screenName}` : `${v.screenName} ${u.screenName}`);
          if (!nodes.has(v.screenName)) {
            nodes.set(v.screenName, { user: v, hop });
            next.push(v);
          }
        }
      }
    }
    frontier = next.slice(0, 24);
  }
  return {
    nodes: [...nodes.values()].map(({ user, hop }) => ({ screen_name: user.screenName, hop, followers_count: user.followersCount })),
    edges: [...edges].map((e) => e.split(' ')).filter(([a, b]) => nodes.has(a!) && nodes.has(b!)).map(([from, to]) => ({ from: from!, to: to! })),
  };
}
