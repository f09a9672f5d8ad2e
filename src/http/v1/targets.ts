// Which user a request names (§3.4): user_id wins over screen_name; `id` is a legacy fallback.
import type { GraphReads } from '../../graph/reads.js';
import type { Found } from '../../graph/visibility.js';
import type { Args } from '../params.js';
import { parseUserId } from '../params.js';

export type Named = { named: false } | { named: true; found: Found };

const NOT_FOUND: Found = { visibility: 'not-found' };

/** `prefix`: source_/target_ (friendships/show), whose ids are named source_id/target_id. */
export async function namedUser(reads: GraphReads, p: Args, prefix = '', legacyId = false): Promise<Named> {
  const id = p.text(prefix ? `${prefix}id` : 'user_id');
  if (id !== undefined && id.trim() !== '') {
    const parsed = parseUserId(id);
    return { named: true, found: parsed === null ? NOT_FOUND : await reads.userById(parsed) };
  }
  const name = p.text(`${prefix}screen_name`);
  if (name !== undefined && name.trim() !== '') return { named: true, found: await reads.userByScreenName(name.trim()) };
  const legacy = legacyId ? p.text('id')?.trim() : undefined;
  if (legacy) {
    const asId = parseUserId(legacy);
    const byId = asId === null ? NOT_FOUND : await reads.userById(asId);
    // An id that names no one may still be a screen name made of digits.
    return { named: true, found: byId.visibility !== 'not-found' ? byId : await reads.userByScreenName(legacy) };
  }
  return { named: false };
}
