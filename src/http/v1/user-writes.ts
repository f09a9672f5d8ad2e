// Writes that answer with the other user's object: follow, unfollow, accept, deny, cancel,
// block, unblock, mute, unmute. The rule lives in the graph; this file only names the target
// and renders the answer (relation from before the write, counts from after it).
import { GraphRuleError } from '../../graph/errors.js';
import type { Actor, Graph, WriteResult } from '../../graph/graph.js';
import type { UserId } from '../../graph/types.js';
import { V1, V1Error, v1ErrorForRefusal, type V1ErrorDef } from '../../wire/v1/errors.js';
import { renderOne, type V1Context, type V1Handler } from './context.js';
import { namedUser } from './targets.js';

type WriteOp = (graph: Graph, actor: Actor, target: UserId, ctx: V1Context) => Promise<WriteResult>;

export function actorOf(ctx: V1Context): Actor {
  if (ctx.caller.kind !== 'user') throw new V1Error(V1.credentialsNotAllowed);
  return { userId: ctx.caller.user.id, appId: ctx.caller.app.id };
}

/** Resolves the named target; `notFound` is the endpoint's own error for a missing user. */
export async function writeTarget(ctx: V1Context, notFound: V1ErrorDef): Promise<UserId> {
  const named = await namedUser(ctx.services.graph.reads, ctx.params, '', true);
  // A suspended target is the graph's to refuse, in the write's own words.
  if (!named.named || named.found.visibility === 'not-found') throw new V1Error(notFound);
  return named.found.user.id;
}

export function rethrowRefusal(err: unknown, notFound: V1ErrorDef): never {
  if (err instanceof GraphRuleError) throw v1ErrorForRefusal(err.reason, notFound, err.target?.screenName);
  throw err;
}

export function userWrite(op: WriteOp, notFound: V1ErrorDef = V1.pageNotFound): V1Handler {
  return async (ctx) => {
    const actor = actorOf(ctx);
    const target = await writeTarget(ctx, notFound);
    let result: WriteResult;
    try {
      result = await op(ctx.services.graph, actor, target, ctx);
    } catch (err) {
      rethrowRefusal(err, notFound);
    }
    return renderOne(ctx, result.user, result.before, { variant: 'write', includeEntities: ctx.params.flag('include_entities') });
  };
}

export const follow = userWrite((g, a, t, ctx) => g.follow(a, t, { notify: ctx.params.flag('follow') }), V1.cannotFindUser);
export const unfollow = userWrite((g, a, t) => g.unfollow(a, t));
export const acceptRequest = userWrite((g, a, t) => g.accept(a, t));
export const denyRequest = userWrite((g, a, t) => g.deny(a, t));
export const cancelRequest = userWrite((g, a, t) => g.cancel(a, t));
export const block = userWrite((g, a, t) => g.block(a, t));
export const unblock = userWrite((g, a, t) => g.unblock(a, t));
export const mute = userWrite((g, a, t) => g.mute(a, t));
export const unmute = userWrite((g, a, t) => g.unmute(a, t));

export const acceptAll: V1Handler = async (ctx) => {
  await ctx.services.graph.acceptAll(actorOf(ctx));
  return {};
};
