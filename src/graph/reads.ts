// The read side of the graph: lookups with their misses, lists as skeleton (a page of ids),
// hydration (the users they name, one batched query) and filter (the visibility rule), and who
// may read what. HTTP renders what this returns; it never reaches the store itself.
import type { GraphStore, UserStore } from '../store/types.js';
import { readIdsJson, readPage, type IdJsonPage, type IdPage } from './pages.js';
import { NO_RELATION, type Direction, type GraphKind, type Relation, type UserId, type UserRow } from './types.js';
import { found, visibilityOf, type Found } from './visibility.js';

/** Only the first 1,000 matches of a search are reachable, as on Twitter. */
export const SEARCH_WINDOW = 1000;

/** One list: the `kind` edges of `owner` in direction `dir` ('in': followers, incoming requests). */
export interface ListRef {
  kind: GraphKind;
  dir: Direction;
  owner: UserId;
}

/** A page of users, newest edge first, with the cursors of IdPage. */
export interface UserPage {
  users: UserRow[];
  next: number;
  previous: number;
}

/** Whether a list may be read: 'suspended' and 'not-found' follow the subject's visibility. */
export type ListAccess = 'readable' | 'not-authorized' | 'suspended' | 'not-found';

export class GraphReads {
  constructor(private readonly store: GraphStore & UserStore) {}

  // lookups: each term answers Found, so a miss is told apart from a suspended account

  async userById(id: UserId): Promise<Found> {
    return found(await this.store.userById(id));
  }

  async userByScreenName(name: string): Promise<Found> {
    return found(await this.store.userByScreenName(name));
  }

  /** One Found per id, in the order given. */
  async usersByIds(ids: readonly UserId[]): Promise<Found[]> {
    const byId = await this.store.usersByIds(ids);
    return ids.map((id) => found(byId.get(id)));
  }

  /** One Found per name (any case), in the order given. */
  async usersByScreenNames(names: readonly string[]): Promise<Found[]> {
    const byName = await this.store.usersByScreenNames(names);
    return names.map((n) => found(byName.get(n.toLowerCase())));
  }

  /** Active users matching every term, ranked; the best `cap`, less the first `skip`. */
  search(terms: readonly string[], cap: number, skip = 0): Promise<UserRow[]> {
    return this.store.searchUsers(terms, cap, skip);
  }

  // lists: skeleton, hydrate, filter (render is the caller's)

  /** The skeleton alone: a page of ids. */
  ids(list: ListRef, cursor: bigint, count: number): Promise<IdPage> {
    return readPage(this.store, list.kind, list.dir, list.owner, cursor, count);
  }

  /** The skeleton as JSON text the database built (the ids endpoints' fast path). */
  idsJson(list: ListRef, cursor: bigint, count: number): Promise<IdJsonPage> {
    return readIdsJson(this.store, list.kind, list.dir, list.owner, cursor, count);
  }

  /**
   * Skeleton, hydrate, filter. Edge states already keep hidden users off the page, so the
   * filter drops only a user whose state changed between the two reads: pages stay full.
   */
  async users(list: ListRef, cursor: bigint, count: number): Promise<UserPage> {
    const page = await this.ids(list, cursor, count);
    const byId = await this.store.usersByIds(page.ids);
    const users: UserRow[] = [];
    for (const id of page.ids) {
      const u = byId.get(id);
      if (u !== undefined && visibilityOf(u) === 'visible') users.push(u);
    }
    return { users, next: page.next, previous: page.previous };
  }

  /** Followees whose retweets the user has turned off. */
  noRetweetIds(user: UserId): Promise<UserId[]> {
    return this.store.noRetweetIds(user);
  }

  // who may read what

  /** Whether the viewer may read a subject's lists (null viewer: app-only), the subject's visibility first. */
  async listAccess(viewer: UserId | null, subject: UserRow): Promise<ListAccess> {
    const v = visibilityOf(subject);
    if (v !== 'visible') return v;
    return (await this.canReadLists(viewer, subject)) ? 'readable' : 'not-authorized';
  }

  /** Whether the viewer may read the subject's follower and friend lists (null viewer: app-only). */
  async canReadLists(viewer: UserId | null, subject: UserRow): Promise<boolean> {
    if (!subject.protected || viewer === subject.id) return true;
    if (viewer === null) return false;
    return (await this.store.relations(viewer, [subject.id])).get(subject.id)?.following ?? false;
  }

  /**
   * Whether the viewer may see the follow edges between two users. A protected account's edges are
   * its lists' content, so each protected end must be readable by the viewer (Twitter's
   * friendships/exists rule); the viewer's own relations are always the viewer's to see.
   */
  async canSeeRelationship(viewer: UserId | null, a: UserRow, b: UserRow): Promise<boolean> {
    if (viewer !== null && (viewer === a.id || viewer === b.id)) return true;
    return (await this.canReadLists(viewer, a)) && (await this.canReadLists(viewer, b));
  }

  /** Relations of the viewer to each user; missing entries mean no relation. */
  async relations(viewer: UserId | null, ids: readonly UserId[]): Promise<Map<UserId, Relation>> {
    if (viewer === null) return new Map();
    return this.store.relations(viewer, ids.filter((id) => id !== viewer));
  }

  async relation(a: UserId, b: UserId): Promise<Relation> {
    if (a === b) return { ...NO_RELATION };
    return (await this.store.relations(a, [b])).get(b) ?? { ...NO_RELATION };
  }
}
