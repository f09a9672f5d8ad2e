// Row <-> domain mapping for PostgreSQL. The pool parses int8 into bigint (see INT8_AS_BIGINT),
// so ids never pass through a JS number; int4/int2 arrive as numbers, booleans as booleans.
import pg from 'pg';
import type { CustomTypesConfig } from 'pg';
import { rowMappers, type Raw } from '../row-mappers.js';
import type { UserRow } from '../types.js';

export type { Raw };
// The same codes as SQLite's, so both schemas mean the same numbers (rows.ts there imports no driver).
export { KIND_CODE, STATE_CODE } from '../sqlite/rows.js';

const INT8_OID = 20;

/** Per-pool type parsers: int8 (ids, seq, count(*), ms timestamps) as bigint; everything else as pg does. */
export const INT8_AS_BIGINT: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary' && oid === INT8_OID) return (v: string) => BigInt(v);
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as CustomTypesConfig['getTypeParser'],
};

/** For small int8 values that the domain keeps as numbers (counts, seq, timestamps). */
export const num = (v: unknown): number => Number(v as bigint);

const mappers = rowMappers({
  bool: (v) => v as boolean,
  num,
  strings: (v) => v as string[], // jsonb, parsed by pg
});
export const { toApp, toToken, toOAuth2Token } = mappers;

/** A user; read through queries.ts USERS, its counts are the row's plus its stripes'. */
export function toUser(r: Raw): UserRow {
  const u = mappers.toUser(r);
  if (r.striped_followers === null || r.striped_followers === undefined) return u;
  return { ...u, followersCount: u.followersCount + num(r.striped_followers), friendsCount: u.friendsCount + num(r.striped_friends) };
}

/**
 * A JS number position as an int8 bound for `seq < $n` / `seq > $n`. Positions are whole numbers,
 * but a window may carry a fraction or Infinity (SQLite compares those natively; int8 cannot).
 */
export function seqBound(seq: number, round: 'up' | 'down'): string {
  if (seq === Infinity || seq > 9.2e18) return '9223372036854775807';
  if (seq === -Infinity || seq < -9.2e18) return '-9223372036854775808';
  return BigInt(round === 'up' ? Math.ceil(seq) : Math.floor(seq)).toString();
}
