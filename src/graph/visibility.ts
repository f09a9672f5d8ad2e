// Which accounts the API shows, stated once. Every read (lookups, list subjects, write targets)
// and every list row (the edge's hidden state, see Tx.updateUser) follows this rule.
import type { UserRow, UserState } from './types.js';

/**
 * visible: active. suspended: shown as suspended (v1.1 code 63, a v2 partial error).
 * not-found: no such user, or deactivated, which reads exactly as if it never existed.
 */
export type Visibility = 'visible' | 'suspended' | 'not-found';

/** A looked-up user as the API may show it: the row only when it may be named at all. */
export type Found =
  | { visibility: 'visible' | 'suspended'; user: UserRow }
  | { visibility: 'not-found' };

export function visibilityOfState(state: UserState): Visibility {
  switch (state) {
    case 'active': return 'visible';
    case 'suspended': return 'suspended';
    case 'deactivated': return 'not-found';
  }
}

export function visibilityOf(user: UserRow | undefined): Visibility {
  return user === undefined ? 'not-found' : visibilityOfState(user.state);
}

export function found(user: UserRow | undefined): Found {
  const visibility = visibilityOf(user);
  return visibility === 'not-found' ? { visibility } : { visibility, user: user! };
}

/** Hidden from other users' lists and counts: anything not visible (the edge state). */
export const isHidden = (state: UserState): boolean => visibilityOfState(state) !== 'visible';

/** Whether the user may be named at all (a token's or sign-in's user): not missing, not deactivated. */
export const isNamed = (user: UserRow | undefined): user is UserRow => visibilityOf(user) !== 'not-found';

/** Whether the user is shown as an ordinary account (active). */
export const isVisible = (user: UserRow | undefined): user is UserRow => visibilityOf(user) === 'visible';
