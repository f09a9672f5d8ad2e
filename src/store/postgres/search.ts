// The PostgreSQL statements of users/search (see ../search-scan.ts): one fixed text for any term
// count, so one prepared statement per connection; terms fill MAX_SEARCH_TERMS slots, unused NULL.
import { MAX_SEARCH_TERMS, type RankedId, type SearchSlices } from '../search-scan.js';
import type { UserId } from '../types.js';
import type { Db } from './queries.js';
import { num, type Raw } from './rows.js';

// SQLite's lower() folds ASCII only; so does PostgreSQL's under the C collation (and ten times
// faster than translate()), so both backends match the same users.
const fold = (col: string) => `lower(${col} COLLATE "C")`;
// $1 after, $2 end, $3 cap, $4.. the terms
const SLOTS = Array.from({ length: MAX_SEARCH_TERMS }, (_, i) => `$${i + 4}::text`);
const everyTerm = (cols: string[]) =>
  SLOTS.map((s) => `(${s} IS NULL OR ${cols.map((c) => `strpos(${c}, ${s}) > 0`).join(' OR ')})`).join(' AND ');
const FIRST = SLOTS[0]!;

const SLICE_END = 'SELECT max(id) AS last FROM (SELECT id FROM users WHERE id > $1 ORDER BY id LIMIT $2) s';
// Each column is folded once per row (f), not once per term. Followers are the row's count plus
// its stripes' (migration 6), added for the matching rows only.
const MATCHES = `SELECT m.id, m.rank, m.followers_count + coalesce((SELECT sum(c.followers) FROM user_counts c WHERE c.id = m.id), 0) AS followers_count
  FROM (SELECT id, followers_count,
    CASE WHEN screen_name_key = ${FIRST} THEN 0 WHEN left(screen_name_key, length(${FIRST})) = ${FIRST} THEN 1
         WHEN ${everyTerm(['f.sn', 'f.nm'])} THEN 2 ELSE 3 END AS rank
  FROM users CROSS JOIN LATERAL (SELECT ${fold('screen_name')} AS sn, ${fold('name')} AS nm, ${fold('description')} AS ds) f
  WHERE id > $1 AND id <= $2 AND state = 0 AND ${everyTerm(['f.sn', 'f.nm', 'f.ds'])}) m
  ORDER BY m.rank, followers_count DESC, m.id LIMIT $3`;

export function postgresSearchSlices(db: Db): SearchSlices {
  return {
    // The event loop is free while PostgreSQL works; a slice holds only one pooled connection.
    sliceMs: 25,
    async sliceEnd(after, rows) {
      const res = await db.query({ name: 'roost_search_slice_end', text: SLICE_END, values: [after, rows] });
      return ((res.rows[0] as Raw).last as UserId | null) ?? null;
    },
    async matches(terms, after, end, cap): Promise<RankedId[]> {
      const slots = Array.from({ length: MAX_SEARCH_TERMS }, (_, i) => terms[i] ?? null);
      const res = await db.query({ name: 'roost_search_matches', text: MATCHES, values: [after, end, cap, ...slots] });
      return (res.rows as Raw[]).map((r) => ({ id: r.id as UserId, rank: num(r.rank), followers: num(r.followers_count) }));
    },
  };
}
