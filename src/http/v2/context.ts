import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../../auth/authenticate.js';
import type { UserRow } from '../../graph/types.js';
import type { Json } from '../../wire/json.js';
import type { AssetHosts } from '../../wire/v1/user.js';
import { cachedUsersV2, renderUserV2 } from '../../wire/v2/user.js';
import { ENCODED_USERS } from '../encoded-users.js';
import { invalidRequest } from '../../wire/v2/problems.js';
import type { Services } from '../deps.js';
import type { Incoming } from '../incoming.js';
import type { ANSWERED } from '../pipeline.js';
import { assetHosts } from '../request-url.js';
import type { V2Endpoint } from './endpoints.js';
import { V2Args } from './params.js';

export interface V2Context {
  services: Services;
  caller: Caller;
  /** the user the caller acts for; null under app-only auth */
  viewer: UserRow | null;
  /** path parameters as given */
  path: Record<string, string>;
  /** the endpoint's declared parameters, checked and typed */
  args: V2Args;
  /** the parsed JSON body of a POST, or undefined */
  body: unknown;
  assets: AssetHosts;
  /** the reply, for a handler that answers as it goes (the activity stream) */
  reply: FastifyReply;
}

export type V2Handler = (ctx: V2Context) => Promise<Json | typeof ANSWERED>;

function parseBody(req: FastifyRequest): unknown {
  if ((req.method !== 'POST' && req.method !== 'PUT') || typeof req.body !== 'string' || req.body === '') return undefined;
  try {
    return JSON.parse(req.body) as unknown;
  } catch {
    throw invalidRequest([{ parameters: {}, message: 'The request body is not valid JSON' }]);
  }
}

/**
 * The parameter step: the query's names, then a path parameter that must name the caller, then
 * each declared parameter; every failure reported in one 400.
 */
export function v2Args(e: V2Endpoint, req: FastifyRequest, incoming: Incoming, caller: Caller): V2Args {
  const path = req.params as Record<string, string>;
  // A body that is not JSON is answered before any query check, as it always was.
  return V2Args.parse(e.params, incoming, path, parseBody(req), (q) => {
    if (!e.callerParam || caller.kind === 'app') return;
    const named = path[e.callerParam]!;
    if (named !== caller.user.id.toString()) {
      q.fail({
        parameters: { [e.callerParam]: [named] },
        message: `The \`${e.callerParam}\` query parameter value [${named}] must be the same as the authenticating user [${caller.user.id}]`,
      });
    }
  });
}

/** The handler's view of an admitted v2 request. */
export function v2Context(services: Services, req: FastifyRequest, args: V2Args, caller: Caller, reply: FastifyReply): V2Context {
  const viewer = caller.kind === 'app' ? null : caller.user;
  return { services, caller, viewer, path: req.params as Record<string, string>, args, body: args.body, assets: assetHosts(req, services.config), reply };
}

/**
 * Users rendered for the caller, relations loaded in one batch when connection fields are asked for.
 * `email`: confirmed_email may be shown (the caller's own, on /2/users/me only, §2.1).
 */
export async function renderUsers(ctx: V2Context, users: readonly UserRow[], opts: { email?: boolean } = {}): Promise<Json[]> {
  const fields = new Set(ctx.args.list('user.fields'));
  const viewer = ctx.viewer?.id ?? null;
  const needsRelations = viewer !== null && (fields.has('connection_status') || fields.has('receives_your_dm'));
  const rels = needsRelations ? await ctx.services.graph.reads.relations(viewer, users.map((u) => u.id)) : new Map();
  return users.map((u) => renderUserV2(u, {
    fields, relation: needsRelations ? rels.get(u.id) ?? { following: false, followedBy: false, requestSent: false, requestReceived: false, blocking: false, blockedBy: false, muting: false, notifications: false, wantRetweets: false } : null,
    isCaller: u.id === viewer, email: opts.email ?? false, assets: ctx.assets,
  }));
}

/** renderUsers as one JSON array, from cached bytes when the fields allow (byte-identical). */
export async function renderUserArray(ctx: V2Context, users: readonly UserRow[]): Promise<Json> {
  const cached = cachedUsersV2(ENCODED_USERS, users, new Set(ctx.args.list('user.fields')), ctx.assets);
  return cached ?? renderUsers(ctx, users);
}
