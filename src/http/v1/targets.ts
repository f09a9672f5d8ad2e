// Which user a request names (§3.4): user_id wins over screen_name; `id` is a legacy fallback.
import type { Store, UserRow } from '../../store/types.js';
import type { Params } from '../params.js';
import { parseUserId } from '../params.js';

export type Named = { named: false } | { named: true; user: UserRow | undefined };

export async function namedUser(store: Store, p: Params, prefix = '', legacyId = false): Promise<Named> {
  const id = p.get(`${prefix}user_id`) ?? (prefix ? p.get(`${prefix}id`) : undefined);
  if (id !== undefined && id.trim() !== '') {
    const parsed = parseUserId(id);
    return { named: true, user: parsed === null ? undefined : await store.userById(parsed) };
  }
  const name = p.get(`${prefix}screen_name`);
  if (name !== undefined && name.trim() !== '') return { named: true, user: await store.userByScreenName(name.trim()) };
  const legacy = legacyId ? p.get('id')?.trim() : undefined;
  if (legacy) {
    const asId = parseUserId(legacy);
    const byId = asId === null ? undefined : await store.userById(asId);
    return { named: true, user: byId ?? (await store.userByScreenName(legacy)) };
  }
  return { named: false };
}

/** A visible user: deactivated accounts do not exist as far as the API is concerned. */
export const existing = (u: UserRow | undefined): UserRow | undefined => (u && u.state !== 'deactivated' ? u : undefined);
