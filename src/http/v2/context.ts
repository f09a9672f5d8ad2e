import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../auth/authenticate.js';
import type { UserRow } from '../../graph/types.js';
import type { Json } from '../../wire/json.js';
import type { AssetHosts } from '../../wire/v1/user.js';
import { cachedUsersV2, renderUserV2 } from '../../wire/v2/user.js';
import { ENCODED_USERS } from '../encoded-users.js';
import { invalidRequest } from '../../wire/v2/problems.js';
import type { Services } from '../deps.js';
import type { Incoming } from '../incoming.js';
import { assetHosts } from '../request-url.js';
import type { V2Endpoint } from './endpoints.js';
import { QueryCheck } from './query.js';

export interface V2Context {
  services: Services;
  caller: Caller;
  /** the user the caller acts for; null under app-only auth */
  viewer: UserRow | null;
  path: Record<string, string>;
  query: QueryCheck;
  /** the parsed JSON body of a POST, or undefined */
  body: unknown;
  assets: AssetHosts;
}

export type V2Handler = (ctx: V2Context) => Promise<Json>;

function parseBody(req: FastifyRequest): unknown {
  if (req.method !== 'POST' || typeof req.body !== 'string' || req.body === '') return undefined;
  try {
    return JSON.parse(req.body) as unknown;
  } catch {
    throw invalidRequest([{ parameters: {}, message: 'The request body is not valid JSON' }]);
  }
}

/** The parameter step: the query checked against the endpoint's parameters, failures kept for done(). */
export function queryOf(e: V2Endpoint, incoming: Incoming): QueryCheck {
  return new QueryCheck(incoming.query.filter(([k]) => !k.startsWith('oauth_')), e.pathParams, e.query);
}

/** The handler's view of an admitted v2 request; a path parameter that must name the caller is checked. */
export function v2Context(e: V2Endpoint, services: Services, req: FastifyRequest, query: QueryCheck, caller: Caller): V2Context {
  const viewer = caller.kind === 'app' ? null : caller.user;
  const path = req.params as Record<string, string>;
  if (e.callerParam && viewer) {
    const named = path[e.callerParam]!;
    if (named !== viewer.id.toString()) {
      query.fail({
        parameters: { [e.callerParam]: [named] },
        message: `The \`${e.callerParam}\` query parameter value [${named}] must be the same as the authenticating user [${viewer.id}]`,
      });
    }
  }
  return { services, caller, viewer, path, query, body: parseBody(req), assets: assetHosts(req, services.config) };
}

/**
 * Users rendered for the caller, relations loaded in one batch when connection fields are asked for.
 * `email`: confirmed_email may be shown (the caller's own, on /2/users/me only, §2.1).
 */
export async function renderUsers(ctx: V2Context, users: readonly UserRow[], opts: { email?: boolean } = {}): Promise<Json[]> {
  const fields = new Set(ctx.query.list('user.fields'));
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
  const cached = cachedUsersV2(ENCODED_USERS, users, new Set(ctx.query.list('user.fields')), ctx.assets);
  return cached ?? renderUsers(ctx, users);
}
