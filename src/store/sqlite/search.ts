// The SQLite statements of users/search (see ../search-scan.ts): one fixed text for any term
// count, terms bound to MAX_SEARCH_TERMS named slots, unused slots NULL.
import type Database from 'better-sqlite3';
import { MAX_SEARCH_TERMS, type RankedId, type SearchSlices } from '../search-scan.js';
import type { UserId } from '../types.js';
import type { Raw } from './rows.js';

const SLOTS = Array.from({ length: MAX_SEARCH_TERMS }, (_, i) => `t${i}`);
// lower() folds ASCII only; terms come lower-cased, so a match ignores ASCII case, as before.
const has = (col: string, slot: string) => `instr(lower(${col}), @${slot}) > 0`;
const everyTerm = (cols: string[]) => SLOTS.map((s) => `(@${s} IS NULL OR ${cols.map((c) => has(c, s)).join(' OR ')})`).join(' AND ');

const SLICE_END = 'SELECT max(id) AS last FROM (SELECT id FROM users WHERE id > ? ORDER BY id LIMIT ?)';
const MATCHES = `SELECT id, followers_count,
    CASE WHEN screen_name_key = @t0 THEN 0 WHEN substr(screen_name_key, 1, length(@t0)) = @t0 THEN 1
         WHEN ${everyTerm(['screen_name', 'name'])} THEN 2 ELSE 3 END AS rank
  FROM users WHERE id > @after AND id <= @end AND state = 0 AND ${everyTerm(['screen_name', 'name', 'description'])}
  ORDER BY rank, followers_count DESC, id LIMIT @cap`;

export function sqliteSearchSlices(reader: Database.Database): SearchSlices {
  const sliceEnd = reader.prepare(SLICE_END);
  const matches = reader.prepare(MATCHES);
  return {
    // better-sqlite3 runs on the event loop: a slice holds every other request.
    sliceMs: 2,
    async sliceEnd(after, rows) {
      return ((sliceEnd.get(after, rows) as Raw).last as UserId | null) ?? null;
    },
    async matches(terms, after, end, cap): Promise<RankedId[]> {
      const slots = Object.fromEntries(SLOTS.map((s, i) => [s, terms[i] ?? null]));
      return (matches.all({ ...slots, after, end, cap }) as Raw[]).map((r) => ({
        id: r.id as UserId, rank: Number(r.rank as bigint), followers: Number(r.followers_count as bigint),
      }));
    },
  };
}
