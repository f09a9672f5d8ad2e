// The bulk port: loads, recounts and streams a whole graph. Each adapter implements it in its
// own folder (sqlite/bulk/, postgres/bulk/), beside the Store it shares the tables with (which
// serves requests one edge at a time); src/bulk/ reads files and builds graphs through it.
import type { NewUser, UserId, UserRow } from '../types.js';
import type { EdgeList } from './edge-list.js';
import type { Progress } from './progress.js';

export interface CountDrift {
  userId: UserId;
  stored: { followers: number; friends: number };
  actual: { followers: number; friends: number };
}

/** Writes inside the one transaction of a load. */
export interface BulkWriter {
  /** Inserts users in ascending id order; counts start at zero and are set at the end of the load. */
  insertUsers(users: Iterable<NewUser>, total: number, progress: Progress): Promise<number>;
  /**
   * Adds the follows (positions marked SKIP are left out) with fresh, increasing positions in
   * list order; marks SKIP and leaves out any the database already holds.
   */
  insertFollows(edges: EdgeList, progress: Progress): Promise<{ added: number; existing: number }>;
  /** Which of these ids name stored users. */
  existingIds(ids: BigInt64Array): Promise<Set<bigint>>;
  /** Stored users by lower-cased screen name. */
  usersByScreenNames(keys: readonly string[]): Promise<Map<string, UserId>>;
}

export interface EdgeRecord {
  src: UserId;
  dst: UserId;
  notify: boolean;
  retweets: boolean;
}

export interface BulkTarget {
  readonly backend: 'sqlite' | 'postgres';
  /**
   * Runs `work` as one transaction and then sets every user's counts from the edges: a load that
   * throws leaves the database as it was.
   */
  load<T>(work: (w: BulkWriter) => Promise<T>, progress: Progress): Promise<T>;
  /** Every user whose stored counts differ from the edges; repaired in the same transaction when asked. */
  recount(repair: boolean): Promise<CountDrift[]>;
  /** Every lower-cased screen name in use. */
  screenNameKeys(): Promise<Set<string>>;
  countFollows(): Promise<number>;
  countUsers(): Promise<number>;
  /** Follows in position order (oldest first), streamed in batches. */
  follows(): AsyncIterable<EdgeRecord[]>;
  /** Follows of one user, oldest first. */
  following(user: UserId): AsyncIterable<EdgeRecord & { screenName: string }>;
  users(): AsyncIterable<UserRow>;
  userByScreenName(screenName: string): Promise<UserRow | undefined>;
  /** Bytes the database takes on disk, after folding any write-ahead log into it. */
  diskBytes(): Promise<number>;
  close(): Promise<void>;
}
