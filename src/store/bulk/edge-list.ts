// Edges to load, held compactly: users by index into one id table, follows in the order they
// happened (position = age; seq is assigned from it), and the two orders the edge tables want.

export interface EdgeList {
  /** every user an edge names, by index; ascending, so index order is id order */
  ids: BigInt64Array;
  count: number;
  src: Int32Array;
  dst: Int32Array;
  /** bit 0: notifications on; bit 1: retweets off */
  flags: Uint8Array;
}

export const NOTIFY = 1;
export const NO_RETWEETS = 2;

export function newEdgeList(ids: BigInt64Array, capacity: number): EdgeList {
  return { ids, count: 0, src: new Int32Array(capacity), dst: new Int32Array(capacity), flags: new Uint8Array(capacity) };
}

/**
 * Positions ordered by one end's index, and by position within it: a stable counting sort, O(E).
 * When ids ascend with index this is the (key, seq) order of a WITHOUT ROWID table, so inserts append.
 */
export function orderBy(edges: EdgeList, end: 'src' | 'dst'): Int32Array {
  const key = edges[end];
  const starts = new Int32Array(edges.ids.length + 1);
  for (let i = 0; i < edges.count; i++) starts[key[i]! + 1]!++;
  for (let u = 0; u < edges.ids.length; u++) starts[u + 1]! += starts[u]!;
  const order = new Int32Array(edges.count);
  for (let i = 0; i < edges.count; i++) order[starts[key[i]!]!++] = i;
  return order;
}

/** Set on an edge that repeats one earlier in the list or already stored: it is not loaded. */
export const SKIP = 4;

/** 1 at the index of each of `found` that `ids` (ascending) holds, by binary search: few found, many ids. */
export function markIds(ids: BigInt64Array, found: Iterable<bigint>): Uint8Array {
  const out = new Uint8Array(ids.length);
  for (const id of found) {
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    if (lo < ids.length && ids[lo] === id) out[lo] = 1;
  }
  return out;
}
