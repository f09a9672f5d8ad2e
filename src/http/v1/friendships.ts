// friendships/show, lookup, update and no_retweets/ids.
import type { Found } from '../../graph/visibility.js';
import { V1, V1Error, V1LegacyError } from '../../wire/v1/errors.js';
import { lookupItemsJson, renderRelationship } from '../../wire/v1/relationship.js';
import { ENCODED_USERS } from '../encoded-users.js';
import type { V1Handler } from './context.js';
import { lookupUsers } from './lookup-terms.js';
import { namedUser } from './targets.js';
import { actorOf, rethrowRefusal, writeTarget } from './user-writes.js';

export const show: V1Handler = async (ctx) => {
  const reads = ctx.services.graph.reads;
  const s = await namedUser(reads, ctx.params, 'source_');
  const source: Found = s.named ? s.found : ctx.viewer ? { visibility: 'visible', user: ctx.viewer } : { visibility: 'not-found' };
  if (source.visibility === 'not-found') throw new V1Error(V1.sourceUndetermined);
  const t = await namedUser(reads, ctx.params, 'target_');
  const target: Found = t.named ? t.found : { visibility: 'not-found' };
  if (target.visibility === 'not-found') throw new V1Error(V1.userNotFound);
  if (source.visibility === 'suspended' || target.visibility === 'suspended') throw new V1Error(V1.userSuspended);
  if (!(await reads.canSeeRelationship(ctx.viewer?.id ?? null, source.user, target.user))) throw new V1LegacyError('Not authorized.');
  const rel = await reads.relation(source.user.id, target.user.id);
  return renderRelationship(source.user, target.user, rel, source.user.id === ctx.viewer?.id);
};

export const lookup: V1Handler = async (ctx) => {
  const users = await lookupUsers(ctx);
  const rels = await ctx.services.graph.reads.relations(ctx.viewer?.id ?? null, users.map((u) => u.id));
  return lookupItemsJson(ENCODED_USERS, users, rels);
};

export const update: V1Handler = async (ctx) => {
  const actor = actorOf(ctx);
  const target = await writeTarget(ctx, V1.pageNotFound);
  try {
    const r = await ctx.services.graph.updateFollow(actor, target, {
      device: ctx.params.tristate('device'),
      retweets: ctx.params.tristate('retweets'),
    });
    return renderRelationship(r.source, r.target, r.after, true);
  } catch (err) {
    rethrowRefusal(err, V1.pageNotFound);
  }
};

export const noRetweetIds: V1Handler = async (ctx) => {
  const ids = await ctx.services.graph.reads.noRetweetIds(actorOf(ctx).userId);
  return ctx.params.flag('stringify_ids') ? ids.map(String) : ids;
};
