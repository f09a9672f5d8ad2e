// users/lookup and friendships/lookup: up to 100 ids and names, unknown ones skipped.
import type { UserRow } from '../../store/types.js';
import { V1, V1Error } from '../../wire/v1/errors.js';
import { parseUserId } from '../params.js';
import type { V1Context } from './context.js';

export const MAX_LOOKUP_TERMS = 100;

/** Users named by user_id then screen_name, in request order, without duplicates or hidden accounts. */
export async function lookupUsers(ctx: V1Context): Promise<UserRow[]> {
  const ids = ctx.params.list('user_id');
  const names = ctx.params.list('screen_name');
  if (ids.length + names.length > MAX_LOOKUP_TERMS) throw new V1Error(V1.tooManyTerms);
  const parsed = ids.map(parseUserId).filter((id): id is bigint => id !== null);
  const byId = await ctx.services.store.usersByIds(parsed);
  const byName = await ctx.services.store.usersByScreenNames(names);
  const seen = new Set<bigint>();
  const out: UserRow[] = [];
  const add = (u: UserRow | undefined) => {
    if (!u || u.state !== 'active' || seen.has(u.id)) return;
    seen.add(u.id);
    out.push(u);
  };
  for (const id of parsed) add(byId.get(id));
  for (const n of names) add(byName.get(n.toLowerCase()));
  if (out.length === 0) throw new V1Error(V1.noUserMatches);
  return out;
}
