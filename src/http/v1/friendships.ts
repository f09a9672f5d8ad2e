// friendships/show, lookup, update and no_retweets/ids.
import { V1, V1Error, V1LegacyError } from '../../wire/v1/errors.js';
import { renderLookupItem, renderRelationship } from '../../wire/v1/relationship.js';
import type { V1Handler } from './context.js';
import { lookupUsers } from './lookup-terms.js';
import { existing, namedUser } from './targets.js';
import { actorOf, rethrowRefusal, writeTarget } from './user-writes.js';

export const show: V1Handler = async (ctx) => {
  const { store, graph } = ctx.services;
  const named = await namedUser(store, ctx.params, 'source_');
  const source = named.named ? existing(named.user) : ctx.viewer ?? undefined;
  if (!source) throw new V1Error(V1.sourceUndetermined);
  const t = await namedUser(store, ctx.params, 'target_');
  const target = t.named ? existing(t.user) : undefined;
  if (!target) throw new V1Error(V1.userNotFound);
  if (source.state === 'suspended' || target.state === 'suspended') throw new V1Error(V1.userSuspended);
  if (!(await graph.canSeeRelationship(ctx.viewer?.id ?? null, source, target))) throw new V1LegacyError('Not authorized.');
  const rel = await graph.relation(source.id, target.id);
  return renderRelationship(source, target, rel, source.id === ctx.viewer?.id);
};

export const lookup: V1Handler = async (ctx) => {
  const users = await lookupUsers(ctx);
  const rels = await ctx.services.graph.relations(ctx.viewer?.id ?? null, users.map((u) => u.id));
  return users.map((u) => renderLookupItem(u, rels.get(u.id)));
};

export const update: V1Handler = async (ctx) => {
  const actor = actorOf(ctx);
  const target = await writeTarget(ctx, V1.pageNotFound);
  try {
    const r = await ctx.services.graph.updateFollow(actor, target, {
      device: ctx.params.optionalFlag('device'),
      retweets: ctx.params.optionalFlag('retweets'),
    });
    return renderRelationship(r.source, r.target, r.after, true);
  } catch (err) {
    rethrowRefusal(err, V1.pageNotFound);
  }
};

export const noRetweetIds: V1Handler = async (ctx) => {
  const ids = await ctx.services.store.noRetweetIds(actorOf(ctx).userId);
  return ctx.params.flag('stringify_ids') ? ids.map(String) : ids;
};
