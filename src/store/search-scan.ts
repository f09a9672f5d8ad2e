// users/search over every user without holding the process: the users table is read in slices
// of consecutive ids, each a few milliseconds of work, with the event loop free between slices.
// Substring matches over handle, name and description have no index to use (a term may be one
// letter), so a search costs a scan; slicing bounds what it costs everyone else.
import type { UserId } from './types.js';

/** At most this many distinct terms reach the store; callers refuse more (Twitter's code 18). */
export const MAX_SEARCH_TERMS = 10;

/** The distinct lower-cased terms a search matches; the first stays first (it ranks handles). */
export function searchTerms(terms: readonly string[]): string[] {
  return [...new Set(terms.map((t) => t.toLowerCase()).filter((t) => t !== ''))];
}

/** A match's place in the ranking: exact handle 0, handle prefix 1, handle or name 2, description 3. */
export interface RankedId {
  id: UserId;
  rank: number;
  followers: number;
}

/** One backend's two statements, each fixed whatever the terms (no statement per query shape). */
export interface SearchSlices {
  /** How long one slice should take: short where it holds the event loop, longer where it only holds a connection. */
  readonly sliceMs: number;
  /** The last id among the `rows` users after `after` in id order; null when none are left. */
  sliceEnd(after: UserId, rows: number): Promise<UserId | null>;
  /** Active users with after < id <= end matching every term, best first, at most `cap`. */
  matches(terms: readonly string[], after: UserId, end: UserId, cap: number): Promise<RankedId[]>;
}

const MIN_ROWS = 100;
const MAX_ROWS = 50_000;
const FIRST_ID = -(1n << 63n);

const better = (a: RankedId, b: RankedId) => a.rank - b.rank || b.followers - a.followers || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class SearchScan {
  /** One search scans at a time per store: concurrent ones would run a slice each per turn of the loop. */
  private turn: Promise<unknown> = Promise.resolve();
  /** Rows per slice, adapted so that one slice takes about `sliceMs`. */
  private rows = 500;

  constructor(private readonly slices: SearchSlices) {}

  /** Ids of the best `cap` matches in ranking order; at most MAX_SEARCH_TERMS distinct terms, any case. */
  run(terms: readonly string[], cap: number): Promise<UserId[]> {
    const distinct = searchTerms(terms);
    if (distinct.length === 0 || distinct.length > MAX_SEARCH_TERMS) throw new RangeError(`a search takes 1 to ${MAX_SEARCH_TERMS} terms`);
    const mine = this.turn.then(() => this.scan(distinct, cap));
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  private async scan(terms: readonly string[], cap: number): Promise<UserId[]> {
    let best: RankedId[] = [];
    let after = FIRST_ID;
    for (;;) {
      const started = performance.now();
      const end = await this.slices.sliceEnd(after, this.rows);
      if (end === null) break;
      const found = await this.slices.matches(terms, after, end, cap);
      if (found.length > 0) best = [...best, ...found].sort(better).slice(0, cap);
      after = end;
      const took = performance.now() - started;
      this.rows = Math.min(MAX_ROWS, Math.max(MIN_ROWS, Math.round(this.rows * Math.min(2, this.slices.sliceMs / Math.max(took, 0.01)))));
      await new Promise((resolve) => setImmediate(resolve));
    }
    return best.map((h) => h.id);
  }
}
