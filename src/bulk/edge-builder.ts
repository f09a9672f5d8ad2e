// Collects follows as they are read and turns them into an EdgeList: users re-indexed in
// ascending id order, repeats of a pair marked SKIP (the first, oldest, is kept). Ids arrive
// as canonical decimal strings, so a million-line file makes a bigint per user, not per line.
import { newEdgeList, orderBy, SKIP, type EdgeList } from '../store/bulk/edge-list.js';

export class EdgeBuilder {
  private readonly index = new Map<string, number>();
  private readonly order: string[] = [];
  private src = new Int32Array(1 << 16);
  private dst = new Int32Array(1 << 16);
  private flags = new Uint8Array(1 << 16);
  private n = 0;

  add(src: string, dst: string, flags = 0): void {
    if (this.n === this.src.length) this.grow();
    this.src[this.n] = this.idx(src);
    this.dst[this.n] = this.idx(dst);
    this.flags[this.n] = flags;
    this.n++;
  }

  get count(): number {
    return this.n;
  }

  /** The list, and how many repeated pairs it marked. */
  build(): { edges: EdgeList; repeats: number } {
    const given = BigInt64Array.from(this.order, (id) => BigInt(id));
    const ids = given.slice().sort();
    const at = new Map<bigint, number>();
    ids.forEach((id, i) => at.set(id, i));
    const remap = Int32Array.from(given, (id) => at.get(id)!);
    const edges = newEdgeList(ids, this.n);
    for (let i = 0; i < this.n; i++) {
      edges.src[i] = remap[this.src[i]!]!;
      edges.dst[i] = remap[this.dst[i]!]!;
      edges.flags[i] = this.flags[i]!;
    }
    edges.count = this.n;
    return { edges, repeats: markRepeats(edges) };
  }

  private idx(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.order.length;
      this.index.set(id, i);
      this.order.push(id);
    }
    return i;
  }

  private grow(): void {
    const size = this.src.length * 2;
    const src = new Int32Array(size);
    src.set(this.src);
    const dst = new Int32Array(size);
    dst.set(this.dst);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    [this.src, this.dst, this.flags] = [src, dst, flags];
  }
}

function markRepeats(edges: EdgeList): number {
  let repeats = 0;
  let current = -1;
  const seen = new Set<number>();
  for (const i of orderBy(edges, 'src')) {
    if (edges.src[i] !== current) {
      current = edges.src[i]!;
      seen.clear();
    }
    if (seen.has(edges.dst[i]!)) {
      edges.flags[i]! |= SKIP;
      repeats++;
    } else {
      seen.add(edges.dst[i]!);
    }
  }
  return repeats;
}
