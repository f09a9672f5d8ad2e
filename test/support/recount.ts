// Recounts for tests. `groupedDrift` is the one recount roost has (the grouped SQL pass behind
// `bin/roost recount`), run on a database location; `perUserDrift` is the slow per-user
// version, kept here only as an oracle the grouped pass is checked against.
import { openTarget } from '../../src/store/bulk/open-target.js';
import type { CountDrift } from '../../src/store/bulk/bulk-target.js';
import type { Store } from '../../src/store/types.js';

/** Drift the grouped pass finds (and repairs when asked), as `bin/roost recount` reports it. */
export async function groupedDrift(location: string, repair = false): Promise<CountDrift[]> {
  const target = await openTarget(location);
  try {
    return (await target.recount(repair)).sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  } finally {
    await target.close();
  }
}

/** The oracle: every user's counts against its edges, one transaction (one snapshot) per user. */
export async function perUserDrift(store: Store): Promise<CountDrift[]> {
  const drift: CountDrift[] = [];
  for (const id of await store.allUserIds()) {
    const found = await store.transaction(async (tx) => {
      const user = await tx.user(id);
      if (!user) return null;
      const actual = await tx.countEdges(id);
      if (actual.followers === user.followersCount && actual.friends === user.friendsCount) return null;
      return { userId: id, stored: { followers: user.followersCount, friends: user.friendsCount }, actual };
    });
    if (found) drift.push(found);
  }
  return drift;
}
