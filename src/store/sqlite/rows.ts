// Row <-> domain mapping for SQLite. Statements run with safeIntegers, so every INTEGER
// column arrives as a bigint; ids stay bigint, small numbers become numbers.
import { rowMappers, type Raw } from '../row-mappers.js';
import type { GraphKind, UserState } from '../types.js';

export type { Raw };
export const KIND_CODE: Record<GraphKind, number> = { follow: 0, request: 1, block: 2, mute: 3 };
export const STATE_CODE: Record<UserState, number> = { active: 0, suspended: 1, deactivated: 2 };

export const { toUser, toApp, toToken, toOAuth2Token } = rowMappers({
  bool: (v) => Number(v as bigint) !== 0,
  num: (v) => Number(v as bigint),
  strings: (v) => JSON.parse(v as string) as string[],
});

/** A JSON array of integers, for `IN (SELECT value FROM json_each(?))`: one statement for any list length. */
export const idList = (ids: readonly bigint[]): string => `[${ids.join(',')}]`;
