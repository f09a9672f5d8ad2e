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

/** Renders users for the viewer, loading relations in one batch. */
export async function renderUsers(
  ctx: V1Context, users: readonly UserRow[], o: Omit<UserRenderOptions, 'relation' | 'isViewer' | 'assets'>,
): Promise<Record<string, Json>[]> {
  const viewerId = ctx.viewer?.id ?? null;
  const rels = await ctx.services.graph.reads.relations(viewerId, users.map((u) => u.id));
  return users.map((u) => renderUserV1(u, {
    ...o, relation: rels.get(u.id) ?? null, isViewer: u.id === viewerId, assets: ctx.assets,
  }));
}

const USER_JSON_CACHE = new UserJsonCache(ENCODED_USERS);

/** renderUsers for the array endpoints, from cached bytes (byte-identical to renderUsers). */
export async function renderUserArray(
  ctx: V1Context, users: readonly UserRow[], o: { variant: CachedVariant; includeEntities: boolean },
): Promise<Json> {
  const rels = await ctx.services.graph.reads.relations(ctx.viewer?.id ?? null, users.map((u) => u.id));
  return USER_JSON_CACHE.render(users, rels, { ...o, assets: ctx.assets });
}

export function renderOne(ctx: V1Context, user: UserRow, relation: Relation | null, o: Omit<UserRenderOptions, 'relation' | 'isViewer' | 'assets'>) {
  return renderUserV1(user, { ...o, relation, isViewer: user.id === ctx.viewer?.id, assets: ctx.assets });
}
