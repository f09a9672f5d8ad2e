// Cursored walks over an edge list. A cursor is an edge position (seq), so it stays valid
// while the graph changes, and a deep page costs what the first page costs.
import type { Direction, GraphKind, GraphStore, PageWindow, UserId } from '../store/types.js';

export interface IdPage {
  ids: UserId[];
  /** position to pass back for the next (older) page; 0 when there is none */
  next: number;
  /** negative position for the previous (newer) page; 0 on the first page */
  previous: number;
}

const FIRST: PageWindow = { kind: 'before', seq: Number.MAX_SAFE_INTEGER };

/**
 * A previous cursor is -(seq + 1) of the page's first item, not -seq: the oldest edge has
 * seq 1, and -1 already means "first page", so a page starting at it could not be walked back from.
 */
const previousCursor = (firstSeq: number) => -(firstSeq + 1);

/** Twitter's cursor values: -1 starts, 0 is past the end, c > 0 walks on, c < -1 walks back (see previousCursor). */
export function windowFor(cursor: bigint): PageWindow | null {
  if (cursor === 0n) return null;
  if (cursor === -1n) return FIRST;
  const abs = cursor < 0n ? -cursor : cursor;
  // Positions never exceed 2^53; anything larger lies past every edge.
  const seq = abs > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(abs);
  return cursor > 0n ? { kind: 'before', seq } : { kind: 'after', seq: seq - 1 };
}

export async function readPage(
  store: GraphStore, kind: GraphKind, dir: Direction, user: UserId, cursor: bigint, count: number,
): Promise<IdPage> {
  const window = windowFor(cursor);
  if (!window) return { ids: [], next: 0, previous: 0 };
  const page = await store.page(kind, dir, user, window, count);
  const first = page.items[0];
  const last = page.items[page.items.length - 1];
  const ids = page.items.map((i) => i.id);
  if (window.kind === 'before') {
    return {
      ids,
      next: page.more && last ? last.seq : 0,
      previous: page.behind && first ? previousCursor(first.seq) : 0,
    };
  }
  // Walking back: older items lie behind the window, newer ones ahead of it.
  return {
    ids,
    next: page.behind ? (last ? last.seq : window.seq + 1) : 0,
    previous: page.more && first ? previousCursor(first.seq) : 0,
  };
}

/** A page whose ids are JSON text already (see Store.pageJson); cursors as in IdPage. */
export interface IdJsonPage {
  json: string;
  /** the same object for as long as the store serves the same page (its cached entry): bytes made of it can be kept with it */
  source: object;
  next: number;
  previous: number;
}

export async function readIdsJson(
  store: GraphStore, kind: GraphKind, dir: Direction, user: UserId, cursor: bigint, count: number,
): Promise<IdJsonPage> {
  const window = windowFor(cursor);
  if (window?.kind === 'before' && store.pageJson) {
    const p = await store.pageJson(kind, dir, user, window, count);
    return {
      json: p.json, source: p,
      next: p.more && p.count > 0 ? p.lastSeq : 0,
      previous: p.behind && p.count > 0 ? previousCursor(p.firstSeq) : 0,
    };
  }
  const page = await readPage(store, kind, dir, user, cursor, count);
  return { json: `[${page.ids.join(',')}]`, source: page, next: page.next, previous: page.previous };
}
