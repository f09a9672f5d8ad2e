// users/lookup and friendships/lookup: up to 100 ids and names, unknown ones skipped.
import type { UserRow } from '../../graph/types.js';
import { V1, V1Error } from '../../wire/v1/errors.js';
import { parseUserId } from '../params.js';
import type { V1Context } from './context.js';

export const MAX_LOOKUP_TERMS = 100;

/** Users named by user_id then screen_name, in request order, without duplicates or hidden accounts. */
export async function lookupUsers(ctx: V1Context): Promise<UserRow[]> {
  const ids = ctx.params.list('user_id');
  const names = ctx.params.list('screen_name');
  if (ids.length + names.length > MAX_LOOKUP_TERMS) throw new V1Error(V1.tooManyTerms);
  const reads = ctx.services.graph.reads;
  const parsed = ids.map(parseUserId).filter((id): id is bigint => id !== null);
  const found = [...(await reads.usersByIds(parsed)), ...(await reads.usersByScreenNames(names))];
  const seen = new Set<bigint>();
  const out: UserRow[] = [];
  for (const f of found) {
    if (f.visibility !== 'visible' || seen.has(f.user.id)) continue;
    seen.add(f.user.id);
    out.push(f.user);
  }
  if (out.length === 0) throw new V1Error(V1.noUserMatches);
  return out;
}
