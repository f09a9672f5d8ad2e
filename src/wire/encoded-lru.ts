// Encoded user objects (or parts of them), each kept with the row it was encoded from and used
// only while the row just read still equals it: a write can never leave a stale entry behind,
// so nothing needs invalidating. Bounded by bytes; the least recently used entry goes first.
import type { UserRow } from '../store/types.js';

interface Entry {
  row: UserRow;
  bytes: Buffer;
  size: number;
}

/** Map overhead per entry, roughly: key, entry object, the row. */
const ENTRY_OVERHEAD = 400;

/** Every UserRow field a public rendering (v1.1 profile members, v2 fields) reads. */
export function sameRendering(a: UserRow, b: UserRow): boolean {
  return a.name === b.name && a.screenName === b.screenName && a.location === b.location && a.description === b.description
    && a.url === b.url && a.protected === b.protected && a.verified === b.verified && a.followersCount === b.followersCount
    && a.friendsCount === b.friendsCount && a.createdAt === b.createdAt;
}

export class EncodedLru {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  readonly stats = { hits: 0, misses: 0 };

  constructor(readonly maxBytes: number) {}

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /** The bytes cached under key for this row, else encode()'s, cached. */
  get(key: string, row: UserRow, encode: () => Buffer): Buffer {
    const hit = this.entries.get(key);
    // The same object is the same row: the store's read cache hands out one object per version.
    if (hit && (hit.row === row || sameRendering(hit.row, row))) {
      this.stats.hits++;
      // Most recently used last: Map iteration order is insertion order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.bytes;
    }
    this.stats.misses++;
    if (hit) this.drop(key, hit);
    const bytes = encode();
    const entry = { row, bytes, size: bytes.length + key.length + ENTRY_OVERHEAD };
    this.entries.set(key, entry);
    this.bytes += entry.size;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k, e);
    }
    return bytes;
  }

  private drop(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.size;
  }
}
