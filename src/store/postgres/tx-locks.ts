// What a READ COMMITTED graph write holds and has read under its locks (see PgTx).
//
// Locks are transaction-scoped advisory locks, so they touch no row and end with the transaction:
// - each user a write reads: shared (graph writes on different pairs run side by side), or
//   exclusive for a change of that user's state or protection (it waits for the writes in flight
//   on the user and holds back new ones until it commits);
// - each pair of users whose edges a write reads or changes: exclusive, so two writes on one pair
//   (follow against block, two follows) run one after the other.
// Users are locked before their pair and in id order, so a write waits only for writes that hold
// no lock it holds, except an exclusive lock taken after shared ones: PostgreSQL detects that rare
// cycle and the transaction is replayed.
import type { FollowAttrs, UserId } from '../types.js';

/** One edge between the two users of a pair, as read under the pair's lock. */
export interface PairEdge extends FollowAttrs {
  seq: bigint;
}

/** A SQL literal for an id, a small integer or a boolean (the only values inlined in batches). */
export function lit(v: bigint | number | boolean): string {
  if (typeof v === 'bigint' || typeof v === 'boolean' || Number.isSafeInteger(v)) return String(v);
  throw new TypeError(`not a SQL literal: ${String(v)}`);
}

export const byId = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

export const pairKey = (a: UserId, b: UserId) => (a < b ? `${a}:${b}` : `${b}:${a}`);
export const edgeKey = (kind: number, src: UserId) => `${kind}:${src}`;

/** The statement taking the locks not yet held: shared user locks in id order, then the pair's. */
export function lockStatement(users: readonly UserId[], pair: readonly [UserId, UserId] | null): string | null {
  const calls = [...users].sort(byId).map((id) => `pg_advisory_xact_lock_shared(${lit(id)})`);
  if (pair) {
    const [lo, hi] = byId(pair[0], pair[1]) <= 0 ? pair : [pair[1], pair[0]];
    // The two-int key space, apart from the users' bigint keys; a hash collision only serializes.
    calls.push(`pg_advisory_xact_lock(hashint8(${lit(lo)}), hashint8(${lit(hi)}))`);
  }
  return calls.length === 0 ? null : `SELECT ${calls.join(', ')}`;
}

/** Every edge, of every kind, between a and b in both directions. */
export function pairEdgesStatement(a: UserId, b: UserId): string {
  const one = (s: UserId, d: UserId) => `SELECT kind, src, seq, notify, retweets FROM edges_fwd
    WHERE kind = ANY('{0,1,2,3}'::smallint[]) AND src = ${lit(s)} AND dst = ${lit(d)}`;
  return a === b ? one(a, b) : `${one(a, b)} UNION ALL ${one(b, a)}`;
}

/** Rows of user_counts per user (migration 6): more spread the commits on one account wider. */
export const STRIPES = 16;

/**
 * Count changes, applied at commit to one stripe per user, in id order: a stripe row is locked
 * only while the transaction commits, and two commits never wait on each other in a cycle.
 */
export function countStatement(deltas: ReadonlyMap<UserId, { followers: number; friends: number }>, stripe: number): string | null {
  const rows = [...deltas.entries()]
    .filter(([, d]) => d.followers !== 0 || d.friends !== 0)
    .sort(([a], [b]) => byId(a, b))
    .map(([id, d]) => `(${lit(id)}, ${lit(stripe)}, ${lit(d.followers)}, ${lit(d.friends)})`);
  if (rows.length === 0) return null;
  return `INSERT INTO user_counts (id, stripe, followers, friends) VALUES ${rows.join(', ')}
    ON CONFLICT (id, stripe) DO UPDATE SET followers = user_counts.followers + EXCLUDED.followers,
    friends = user_counts.friends + EXCLUDED.friends`;
}
