// User lookups: /2/users, /2/users/:id, /2/users/by, /2/users/by/username/:username, /2/users/me.
import { SEARCH_WINDOW } from '../../graph/reads.js';
import type { UserRow } from '../../graph/types.js';
import type { Found } from '../../graph/visibility.js';
import type { Json } from '../../wire/json.js';
import { userNotFound, userSuspended } from '../../wire/v2/problems.js';
import { renderUsers, type V2Context, type V2Handler } from './context.js';

/** Found users in request order, and one partial error per missing or suspended one. */
async function answer(ctx: V2Context, parameter: string, terms: string[], found: Found[], single: boolean): Promise<Json> {
  const users: UserRow[] = [];
  const errors: Json[] = [];
  const seen = new Set<bigint>();
  terms.forEach((term, i) => {
    const f = found[i]!;
    if (f.visibility === 'not-found') errors.push(userNotFound(parameter, term));
    else if (f.visibility === 'suspended') errors.push(userSuspended(parameter, term));
    else if (!seen.has(f.user.id)) {
      seen.add(f.user.id);
      users.push(f.user);
    }
  });
  const rendered = await renderUsers(ctx, users);
  const out: Record<string, Json> = {};
  if (rendered.length > 0) out.data = single ? rendered[0]! : rendered;
  if (errors.length > 0) out.errors = errors;
  return out;
}

async function byIds(ctx: V2Context, parameter: string, ids: string[], single: boolean): Promise<Json> {
  return answer(ctx, parameter, ids, await ctx.services.graph.reads.usersByIds(ids.map((id) => BigInt(id))), single);
}

async function byNames(ctx: V2Context, parameter: string, names: string[], single: boolean): Promise<Json> {
  return answer(ctx, parameter, names, await ctx.services.graph.reads.usersByScreenNames(names), single);
}

export const usersByIds: V2Handler = async (ctx) => byIds(ctx, 'ids', ctx.args.list('ids'), false);

export const userById: V2Handler = async (ctx) => byIds(ctx, 'id', [ctx.path.id!], true);

export const usersByNames: V2Handler = async (ctx) => byNames(ctx, 'usernames', ctx.args.list('usernames'), false);

export const userByName: V2Handler = async (ctx) => byNames(ctx, 'username', [ctx.args.text('username')], true);

export const me: V2Handler = async (ctx) => {
  // confirmed_email: OAuth 1.0a apps all have the e-mail permission (as v1.1's include_email);
  // an OAuth 2.0 token needs users.email (§2.1, §3.5).
  const email = ctx.caller.kind !== 'oauth2-user' || ctx.caller.scopes.includes('users.email');
  const [rendered] = await renderUsers(ctx, [ctx.viewer!], { email });
  return { data: rendered! };
};

/** Matches ranked as v1.1's users/search ranks them; tokens are base-36 offsets into the first 1,000. */
export const search: V2Handler = async (ctx) => {
  const terms = ctx.args.list('query');
  const count = ctx.args.int('max_results');
  const offset = ctx.args.int('next_token');
  const hits = await ctx.services.graph.reads.search(terms, Math.min(SEARCH_WINDOW, offset + count + 1), offset);
  const page = hits.slice(0, count);
  // X's SearchUsersResponse meta has no result_count, unlike the follow lists' meta.
  const meta: Record<string, Json> = {};
  if (hits.length > count && offset + count < SEARCH_WINDOW) meta.next_token = (offset + count).toString(36);
  return page.length > 0 ? { data: await renderUsers(ctx, page), meta } : { meta };
};
