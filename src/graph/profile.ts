// Profile updates (v1.1 account/update_profile, `roost users update`): Twitter's limits, one
// transaction, and one event per field whose value changed, with its value before and after.
import type { EventType } from '../events/types.js';
import type { GraphStore } from '../store/types.js';
import { GraphRuleError } from './errors.js';
import type { UserId, UserRow } from './types.js';

/** The fields a user edits, as Twitter named them in update_profile. */
export interface ProfileChange {
  name?: string;
  url?: string;
  location?: string;
  description?: string;
}

type Field = keyof ProfileChange;

/** Each field's limit in characters, the word Twitter's error named it by, and its event. */
export const PROFILE_FIELDS: Readonly<Record<Field, { max: number; label: string; event: EventType }>> = {
  name: { max: 50, label: 'Name', event: 'profile.update.screenname' },
  url: { max: 100, label: 'Url', event: 'profile.update.url' },
  location: { max: 30, label: 'Location', event: 'profile.update.geo' },
  description: { max: 160, label: 'Description', event: 'profile.update.bio' },
};

/** A value over its field's limit; the API words it (v1.1: 403/120). */
export class ProfileTooLongError extends Error {
  constructor(readonly field: Field, readonly label: string, readonly max: number) {
    super(`${label} is too long (maximum is ${max} characters)`);
  }
}

/** Characters as Twitter counted them: code points, not UTF-16 units. */
const length = (s: string) => [...s].length;

/** The stored values a change asks for: a blank name keeps the old one; a url without a scheme gets http://. */
function normalise(given: ProfileChange): { name?: string; url?: string | null; location?: string; description?: string } {
  // U+0000 is dropped: no profile shows one, and PostgreSQL text cannot hold it.
  const change: ProfileChange = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, typeof v === 'string' ? v.replaceAll('\u0000', '') : v]));
  for (const field of Object.keys(PROFILE_FIELDS) as Field[]) {
    const value = change[field];
    const { max, label } = PROFILE_FIELDS[field];
    if (value !== undefined && length(value) > max) throw new ProfileTooLongError(field, label, max);
  }
  const out: ReturnType<typeof normalise> = {};
  const name = change.name?.trim();
  if (name) out.name = name;
  if (change.url !== undefined) {
    const url = change.url.trim();
    out.url = url === '' ? null : /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  }
  if (change.location !== undefined) out.location = change.location.trim();
  if (change.description !== undefined) out.description = change.description;
  return out;
}

/** Applies the change in one transaction; the user as it is after. Fields not given stay as they are. */
export function updateProfile(store: GraphStore, userId: UserId, change: ProfileChange): Promise<UserRow> {
  const patch = normalise(change);
  return store.transaction(async (tx) => {
    const user = await tx.user(userId);
    if (!user) throw new GraphRuleError('target-not-found');
    const changed = (Object.keys(patch) as Field[]).filter((f) => patch[f] !== user[f]);
    if (changed.length === 0) return user;
    await tx.updateUser(userId, Object.fromEntries(changed.map((f) => [f, patch[f]])));
    for (const f of changed) {
      await tx.recordEvent({ type: PROFILE_FIELDS[f].event, sourceId: userId, targetId: null, before: user[f] ?? '', after: patch[f] ?? '' });
    }
    return (await tx.user(userId))!;
  });
}
