// Followers, following, blocking and muting: the lists and the writes. The rules are the
// graph's; this file renders them in v2's shapes, where v2 answered differently from v1.1.
import { GraphRuleError } from '../../graph/errors.js';
import type { Direction, GraphKind, UserId } from '../../graph/types.js';
import { parseUserId } from '../params.js';
import type { Json } from '../../wire/json.js';
import { encodeToken } from '../../wire/v2/pagination-token.js';
import { invalidRequest, invalidValue, listNotAuthorized, notPermitted, userNotFound, userSuspended } from '../../wire/v2/problems.js';
import { renderUserArray, type V2Context, type V2Handler } from './context.js';

/** A cursored list of users; `owner: true` lists are the caller's own (blocks, mutes). */
export function userList(kind: GraphKind, dir: Direction, owner: boolean): V2Handler {
  return async (ctx) => {
    const raw = ctx.path.id!;
    const id = ctx.args.id('id');
    const count = ctx.args.int('max_results');
    const cursor = ctx.args.cursor('pagination_token');
    const style = ctx.args.tokenStyle('pagination_token');

    const reads = ctx.services.graph.reads;
    const subject = await reads.userById(id);
    // Blocks and mutes are the caller's own (checked against the path): only visibility applies.
    const access = subject.visibility === 'not-found' ? 'not-found'
      : owner ? subject.visibility === 'visible' ? 'readable' : subject.visibility
      : await reads.listAccess(ctx.viewer?.id ?? null, subject.user);
    switch (access) {
      case 'not-found': return { errors: [userNotFound('id', raw)], meta: { result_count: 0 } };
      case 'suspended': return { errors: [userSuspended('id', raw)], meta: { result_count: 0 } };
      case 'not-authorized': return { errors: [listNotAuthorized(raw)], meta: { result_count: 0 } };
      case 'readable': break;
    }
    const { users, ...page } = await reads.users({ kind, dir, owner: id }, cursor, count);
    const meta: Record<string, Json> = { result_count: users.length };
    if (page.next !== 0) meta.next_token = encodeToken(page.next, style);
    if (page.previous !== 0) meta.previous_token = encodeToken(page.previous, style);
    return users.length > 0 ? { data: await renderUserArray(ctx, users), meta } : { meta };
  };
}

/** The JSON body's target_user_id, validated as v2 validates it. */
function targetOf(ctx: V2Context): string {
  const body = ctx.body as { target_user_id?: unknown } | undefined;
  const target = body?.target_user_id;
  // A 19-digit id can still exceed 2^63 - 1, which no store can bind: the same 400 as the path ids.
  if (typeof target !== 'string' || !/^[0-9]{1,19}$/.test(target) || parseUserId(target) === null) {
    throw invalidRequest([{
      parameters: { target_user_id: target === undefined ? [] : [String(target)] },
      message: target === undefined ? '$.target_user_id: is missing but it is required' : `The \`target_user_id\` query parameter value [${String(target)}] is not valid`,
    }]);
  }
  if (BigInt(target) === ctx.viewer!.id) throw invalidRequest([invalidValue('target_user_id', target)]);
  return target;
}

const actor = (ctx: V2Context) => ({ userId: ctx.viewer!.id, appId: ctx.caller.app.id });

/** Unknown and suspended targets of a POST answer 200 with only a partial error (§7.3). */
async function postTarget(ctx: V2Context): Promise<{ id: UserId } | { answer: Json }> {
  const raw = targetOf(ctx);
  const target = await ctx.services.graph.reads.userById(BigInt(raw));
  switch (target.visibility) {
    case 'not-found': return { answer: { errors: [userNotFound('target_user_id', raw)] } };
    case 'suspended': return { answer: { errors: [userSuspended('target_user_id', raw)] } };
    case 'visible': return { id: target.user.id };
  }
}

export const follow: V2Handler = async (ctx) => {
  const t = await postTarget(ctx);
  if ('answer' in t) return t.answer;
  try {
    const r = await ctx.services.graph.follow(actor(ctx), t.id, { notify: false, liftBlock: false });
    const following = r.outcome === 'followed' || r.before.following;
    return { data: { following, pending_follow: !following } };
  } catch (err) {
    if (err instanceof GraphRuleError && err.reason === 'already-requested') return { data: { following: false, pending_follow: true } };
    if (err instanceof GraphRuleError && ['blocked-by-target', 'blocking-target', 'follow-limit'].includes(err.reason)) throw notPermitted();
    throw err;
  }
};

/** DELETE answers with the resulting state whether or not anything changed. */
function undo(op: 'unfollow' | 'unblock' | 'unmute', key: string): V2Handler {
  return async (ctx) => {
    const target = ctx.args.id('target_user_id');
    try {
      await ctx.services.graph[op](actor(ctx), target);
    } catch (err) {
      if (!(err instanceof GraphRuleError)) throw err;
    }
    return { data: { [key]: false } };
  };
}

export const unfollow = undo('unfollow', 'following');
export const unblock = undo('unblock', 'blocking');
export const unmute = undo('unmute', 'muting');

export const block: V2Handler = async (ctx) => {
  const t = await postTarget(ctx);
  if ('answer' in t) return t.answer;
  await ctx.services.graph.block(actor(ctx), t.id);
  return { data: { blocking: true } };
};

export const mute: V2Handler = async (ctx) => {
  const t = await postTarget(ctx);
  if ('answer' in t) return t.answer;
  await ctx.services.graph.mute(actor(ctx), t.id);
  return { data: { muting: true } };
};
