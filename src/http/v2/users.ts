// User lookups: /2/users, /2/users/:id, /2/users/by, /2/users/by/username/:username, /2/users/me.
import { MAX_SEARCH_TERMS, searchTerms, type UserRow } from '../../graph/types.js';
import type { Found } from '../../graph/visibility.js';
import type { Json } from '../../wire/json.js';
import { userNotFound, userSuspended } from '../../wire/v2/problems.js';
import { SEARCH_WINDOW } from '../v1/users.js';
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

export const usersByIds: V2Handler = async (ctx) => {
  const ids = ctx.query.terms('ids', 'id');
  ctx.query.done();
  return byIds(ctx, 'ids', ids, false);
};

export const userById: V2Handler = async (ctx) => {
  const id = ctx.path.id!;
  ctx.query.id('id', id);
  ctx.query.done();
  return byIds(ctx, 'id', [id], true);
};

export const usersByNames: V2Handler = async (ctx) => {
  const names = ctx.query.terms('usernames', 'username');
  ctx.query.done();
  return byNames(ctx, 'usernames', names, false);
};

export const userByName: V2Handler = async (ctx) => {
  const name = ctx.path.username!;
  if (!/^[A-Za-z0-9_]{1,15}$/.test(name)) ctx.query.fail({ parameters: { username: [name] }, message: `The \`username\` query parameter value [${name}] does not match ^[A-Za-z0-9_]{1,15}$` });
  ctx.query.done();
  return byNames(ctx, 'username', [name], true);
};

export const me: V2Handler = async (ctx) => {
  ctx.query.done();
  // confirmed_email: OAuth 1.0a apps all have the e-mail permission (as v1.1's include_email);
  // an OAuth 2.0 token needs users.email (§2.1, §3.5).
  const email = ctx.caller.kind !== 'oauth2-user' || ctx.caller.scopes.includes('users.email');
  const [rendered] = await renderUsers(ctx, [ctx.viewer!], { email });
  return { data: rendered! };
};

/** Matches ranked as v1.1's users/search ranks them; tokens are base-36 offsets into the first 1,000. */
export const search: V2Handler = async (ctx) => {
  const query = ctx.query.values.get('query');
  if (query === undefined && ctx.query.given.has('query')) {
    // repeated: already reported
  } else if (query === undefined || query.trim() === '') {
    ctx.query.fail({ parameters: { query: query === undefined ? [] : [query] }, message: 'The `query` query parameter can not be empty' });
  } else if (!/^[A-Za-z0-9_' ]{1,50}$/.test(query)) {
    ctx.query.fail({ parameters: { query: [query] }, message: `The \`query\` query parameter value [${query}] does not match ^[A-Za-z0-9_' ]{1,50}$` });
  }
  const terms = searchTerms((query ?? '').trim().split(/\s+/));
  if (terms.length > MAX_SEARCH_TERMS) {
    ctx.query.fail({ parameters: { query: [query!] }, message: `The number of terms in the \`query\` query parameter [${terms.length}] is not between 1 and ${MAX_SEARCH_TERMS}` });
  }
  const count = ctx.query.maxResults();
  const token = ctx.query.values.get('next_token');
  const offset = token === undefined ? 0 : /^[0-9a-z]{1,6}$/.test(token) ? parseInt(token, 36) : NaN;
  if (!Number.isSafeInteger(offset) || offset >= SEARCH_WINDOW) ctx.query.fail({ parameters: { next_token: [token ?? ''] }, message: `The \`next_token\` query parameter value [${token}] is not valid` });
  ctx.query.done();
  const hits = await ctx.services.graph.reads.search(terms, Math.min(SEARCH_WINDOW, offset + count + 1), offset);
  const page = hits.slice(0, count);
  // X's SearchUsersResponse meta has no result_count, unlike the follow lists' meta.
  const meta: Record<string, Json> = {};
  if (hits.length > count && offset + count < SEARCH_WINDOW) meta.next_token = (offset + count).toString(36);
  return page.length > 0 ? { data: await renderUsers(ctx, page), meta } : { meta };
};
