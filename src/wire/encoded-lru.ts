// Encoded user objects (or parts of them), each kept with the row it was encoded from and used
// only while the row just read still equals it: a write can never leave a stale entry behind,
// so nothing needs invalidating. Bounded by bytes.
//
// A page of 1,000 users makes 1,000 lookups, so a hit must cost little: entries live in one Map
// per rendering (a "space": variant, fields, hosts) keyed by the user's id, found once per page;
// a hit only marks its entry used, and eviction gives a used entry a second round instead of
// reordering on every hit (the CLOCK approximation of least recently used).
import type { UserRow } from '../store/types.js';

interface Entry {
  row: UserRow;
  bytes: Buffer;
  size: number;
  used: boolean;
  space: Space;
}

/** Map overhead per entry, roughly: the key, the entry object, the row. */
const ENTRY_OVERHEAD = 400;

/** Every UserRow field a public rendering (v1.1 profile members, v2 fields) reads. */
export function sameRendering(a: UserRow, b: UserRow): boolean {
  return a.name === b.name && a.screenName === b.screenName && a.location === b.location && a.description === b.description
    && a.url === b.url && a.protected === b.protected && a.verified === b.verified && a.followersCount === b.followersCount
    && a.friendsCount === b.friendsCount && a.createdAt === b.createdAt;
}

/** The entries of one rendering, by user id. */
export class Space {
  readonly entries = new Map<bigint, Entry>();

  constructor(private readonly lru: EncodedLru, readonly name: string) {}

  /** The bytes cached for this row, else encode()'s, cached. */
  get(row: UserRow, encode: () => Buffer): Buffer {
    const hit = this.entries.get(row.id);
    // The same object is the same row: the store's read cache hands out one object per version.
    if (hit && (hit.row === row || sameRendering(hit.row, row))) {
      this.lru.stats.hits++;
      hit.used = true;
      return hit.bytes;
    }
    return this.lru.add(this, row, hit, encode());
  }
}

export class EncodedLru {
  private readonly spaces = new Map<string, Space>();
  /** every entry, oldest first */
  private readonly order = new Set<Entry>();
  private bytes = 0;
  readonly stats = { hits: 0, misses: 0 };

  constructor(readonly maxBytes: number) {}

  get size(): { entries: number; bytes: number } {
    return { entries: this.order.size, bytes: this.bytes };
  }

  /** The space of one rendering, made on first use. */
  space(name: string): Space {
    let s = this.spaces.get(name);
    if (!s) this.spaces.set(name, (s = new Space(this, name)));
    return s;
  }

  /** A miss: `stale` (the entry for an older row, if any) goes, the new bytes are kept. */
  add(space: Space, row: UserRow, stale: Entry | undefined, bytes: Buffer): Buffer {
    this.stats.misses++;
    if (stale) { // replaced below, in the same space
      this.order.delete(stale);
      this.bytes -= stale.size;
    }
    const entry: Entry = { row, bytes, size: bytes.length + ENTRY_OVERHEAD, used: false, space };
    space.entries.set(row.id, entry);
    this.order.add(entry);
    this.bytes += entry.size;
    this.evict();
    return bytes;
  }

  private evict(): void {
    // Each pass over a used entry clears its mark, so this ends within two rounds.
    for (const e of this.order) {
      if (this.bytes <= this.maxBytes) return;
      this.order.delete(e);
      if (e.used) {
        e.used = false;
        this.order.add(e);
      } else {
        this.bytes -= e.size;
        this.forget(e);
      }
    }
  }

  private forget(e: Entry): void {
    const { space } = e;
    if (space.entries.get(e.row.id) === e) space.entries.delete(e.row.id);
    // A rendering nobody asks for any more leaves no empty map behind.
    if (space.entries.size === 0 && this.spaces.get(space.name) === space) this.spaces.delete(space.name);
  }
}
