import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../auth/authenticate.js';
import type { Relation, UserRow } from '../../graph/types.js';
import type { Json } from '../../wire/json.js';
import type { AssetHosts, UserRenderOptions } from '../../wire/v1/user.js';
import { renderUserV1 } from '../../wire/v1/user.js';
import { UserJsonCache, type CachedVariant } from '../../wire/v1/user-cache.js';
import { ENCODED_USERS } from '../encoded-users.js';
import type { Services } from '../deps.js';
import type { Args } from '../params.js';
import { assetHosts, pathOf } from '../request-url.js';
import type { V1Endpoint } from './endpoints.js';

export interface V1Context {
  services: Services;
  endpoint: V1Endpoint;
  /** the endpoint's declared parameters, parsed */
  params: Args;
  caller: Caller;
  /** the authenticating user; null under app-only auth */
  viewer: UserRow | null;
  assets: AssetHosts;
  /** the request path, for the legacy error body */
  path: string;
}

export type V1Handler = (ctx: V1Context) => Promise<Json>;

/** The handler's view of an admitted v1.1 request. */
export function v1Context(endpoint: V1Endpoint, services: Services, req: FastifyRequest, params: Args, caller: Caller): V1Context {
  return {
    services,
    endpoint,
    params,
    caller,
    viewer: caller.kind === 'user' ? caller.user : null,
    assets: assetHosts(req, services.config),
    path: pathOf(req),
  };
}

const USER_JSON_CACHE = new UserJsonCache(ENCODED_USERS);

/** The viewer's view of users, relations loaded in one batch, from cached bytes (byte-identical to renderUserV1). */
export async function renderUserArray(
  ctx: V1Context, users: readonly UserRow[], o: { variant: CachedVariant; includeEntities: boolean },
): Promise<Json> {
  const rels = await ctx.services.graph.reads.relations(ctx.viewer?.id ?? null, users.map((u) => u.id));
  return USER_JSON_CACHE.render(users, rels, { ...o, assets: ctx.assets });
}

/** One user object; from the cached head unless it carries the viewer's email (verify_credentials). */
export function renderOne(ctx: V1Context, user: UserRow, relation: Relation | null, o: Omit<UserRenderOptions, 'relation' | 'isViewer' | 'assets'>): Json {
  const isViewer = user.id === ctx.viewer?.id;
  if (o.email !== undefined) return renderUserV1(user, { ...o, relation, isViewer, assets: ctx.assets });
  return USER_JSON_CACHE.one(user, relation, isViewer, { variant: o.variant, includeEntities: o.includeEntities, assets: ctx.assets });
}
