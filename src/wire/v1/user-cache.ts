// v1.1 user arrays (followers/list, users/lookup, ...) from cached bytes. The members that depend
// on the user alone are encoded once and kept in an LRU bounded by bytes; the members that
// depend on the viewer (`following` onwards) are spliced in per request from a handful of
// pre-encoded tails. An entry is used only while the row it was encoded from equals the row
// just read, so a write can never leave a stale object behind: there is nothing to invalidate.
import type { Relation, UserRow } from '../../store/types.js';
import { encodeJson, JsonBytes } from '../json.js';
import { userProfileFields, userViewerFields, type AssetHosts, type UserVariant } from './user.js';

/** The variants whose viewer members never depend on who the user is (no `suspended`). */
export type CachedVariant = 'list' | 'blocklist' | 'lookup';

export interface CachedRenderOptions {
  variant: CachedVariant;
  includeEntities: boolean;
  assets: AssetHosts;
}

interface Entry {
  row: UserRow;
  /** the profile members as `{...` without the closing brace */
  head: Buffer;
  bytes: number;
}

/** Every UserRow field the profile members read. */
function sameProfile(a: UserRow, b: UserRow): boolean {
  return a.name === b.name && a.screenName === b.screenName && a.location === b.location && a.description === b.description
    && a.url === b.url && a.protected === b.protected && a.verified === b.verified && a.followersCount === b.followersCount
    && a.friendsCount === b.friendsCount && a.createdAt === b.createdAt;
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
/** Map overhead per entry, roughly: key, entry object, the row. */
const ENTRY_OVERHEAD = 400;

export class UserJsonCache {
  private readonly entries = new Map<string, Entry>();
  private readonly tails = new Map<string, Buffer>();
  private bytes = 0;
  readonly stats = { hits: 0, misses: 0 };

  constructor(readonly maxBytes: number) {}

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /** The JSON array of the users, each with the viewer's relation to it (none: not related). */
  render(users: readonly UserRow[], relations: ReadonlyMap<bigint, Relation>, o: CachedRenderOptions): JsonBytes {
    const prefix = `${o.variant}|${o.includeEntities ? 1 : 0}|${o.assets.http}|${o.assets.https}|`;
    const parts: Buffer[] = [OPEN];
    users.forEach((user, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(this.head(prefix, user, o), this.tail(o.variant, relations.get(user.id) ?? null, user));
    });
    parts.push(CLOSE);
    return new JsonBytes(Buffer.concat(parts));
  }

  private head(prefix: string, user: UserRow, o: CachedRenderOptions): Buffer {
    const key = prefix + user.id.toString();
    const hit = this.entries.get(key);
    if (hit && sameProfile(hit.row, user)) {
      this.stats.hits++;
      // Most recently used last: Map iteration order is insertion order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.head;
    }
    this.stats.misses++;
    if (hit) this.drop(key, hit);
    const full = encodeJson(userProfileFields(user, o));
    const head = full.subarray(0, full.length - 1);
    const entry = { row: user, head, bytes: head.length + key.length + ENTRY_OVERHEAD };
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k, e);
    }
    return head;
  }

  private drop(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }

  /** `,"following":...}`: at most 2^6 distinct tails per variant. */
  private tail(variant: UserVariant, rel: Relation | null, user: UserRow): Buffer {
    const r = rel ?? undefined;
    const key = `${variant}|${r ? [r.following, r.requestSent, r.notifications, r.muting, r.blocking, r.blockedBy].map(Number).join('') : '-'}`;
    let tail = this.tails.get(key);
    if (!tail) {
      const full = encodeJson(userViewerFields(user, { variant, relation: rel, isViewer: false }));
      tail = Buffer.concat([COMMA, full.subarray(1)]);
      this.tails.set(key, tail);
    }
    return tail;
  }
}
