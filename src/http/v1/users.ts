// users/show, users/lookup, users/search and account/verify_credentials.
import { SEARCH_WINDOW } from '../../graph/reads.js';
import { MAX_SEARCH_TERMS, searchTerms } from '../../graph/types.js';
import { invalidParameter, V1, V1Error } from '../../wire/v1/errors.js';
import { renderOne, renderUserArray, type V1Handler } from './context.js';
import { lookupUsers } from './lookup-terms.js';
import { namedUser } from './targets.js';

export const show: V1Handler = async (ctx) => {
  const named = await namedUser(ctx.services.graph.reads, ctx.params);
  if (!named.named) throw new V1Error(V1.parameterMissing, 'user_id or screen_name parameter is missing.');
  if (named.found.visibility === 'not-found') throw new V1Error(V1.userNotFound);
  if (named.found.visibility === 'suspended') throw new V1Error(V1.userSuspended);
  const user = named.found.user;
  const rels = await ctx.services.graph.reads.relations(ctx.viewer?.id ?? null, [user.id]);
  return renderOne(ctx, user, rels.get(user.id) ?? null, { variant: 'show', includeEntities: ctx.params.flag('include_entities') });
};

export const lookup: V1Handler = async (ctx) => {
  const users = await lookupUsers(ctx);
  return renderUserArray(ctx, users, { variant: 'lookup', includeEntities: ctx.params.flag('include_entities') });
};

/** Twitter's search query limit, in characters. */
export const SEARCH_QUERY_MAX = 500;

export const search: V1Handler = async (ctx) => {
  const q = ctx.params.text('q')?.trim() ?? '';
  if (q === '') throw new V1Error(V1.queryMissing);
  if (q.length > SEARCH_QUERY_MAX) throw invalidParameter('q');
  const terms = searchTerms(q.split(/\s+/));
  if (terms.length > MAX_SEARCH_TERMS) throw new V1Error(V1.tooManyTerms);
  const count = ctx.params.int('count');
  const page = ctx.params.int('page');
  if ((page - 1) * count >= SEARCH_WINDOW) {
    throw new V1Error(V1.parameterInvalid, `Invalid value ${ctx.params.raw('page')} for parameter page parameter is invalid.`);
  }
  const hits = await ctx.services.graph.reads.search(terms, Math.min(SEARCH_WINDOW, page * count), (page - 1) * count);
  return renderUserArray(ctx, hits, { variant: 'lookup', includeEntities: ctx.params.flag('include_entities') });
};

export const verifyCredentials: V1Handler = async (ctx) => {
  const user = ctx.viewer!;
  return renderOne(ctx, user, null, {
    variant: 'self',
    includeEntities: ctx.params.flag('include_entities'),
    email: ctx.params.flag('include_email') ? user.email : undefined,
  });
};
