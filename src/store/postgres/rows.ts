// Row <-> domain mapping for PostgreSQL. The pool parses int8 into bigint (see INT8_AS_BIGINT),
// so ids never pass through a JS number; int4/int2 arrive as numbers, booleans as booleans.
import pg from 'pg';
import type { CustomTypesConfig } from 'pg';
import type { AccessLevel, AppRow, ClientType, OAuth2TokenRow, TokenRow, UserRow, UserState } from '../types.js';

// The same codes as SQLite's, so both schemas mean the same numbers (rows.ts there imports no driver).
export { KIND_CODE, STATE_CODE } from '../sqlite/rows.js';
const STATES: UserState[] = ['active', 'suspended', 'deactivated'];

export type Raw = Record<string, unknown>;

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

export function toUser(r: Raw): UserRow {
  return {
    id: r.id as bigint,
    screenName: r.screen_name as string,
    name: r.name as string,
    description: r.description as string,
    location: r.location as string,
    url: (r.url as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    protected: r.protected as boolean,
    verified: r.verified as boolean,
    state: STATES[r.state as number] ?? 'active',
    locked: r.locked as boolean,
    followersCount: r.followers_count as number,
    friendsCount: r.friends_count as number,
    createdAt: num(r.created_at),
  };
}

export function toApp(r: Raw): AppRow {
  return {
    id: r.id as bigint,
    name: r.name as string,
    consumerKey: r.consumer_key as string,
    consumerSecret: r.consumer_secret as string,
    bearerToken: (r.bearer_token as string | null) ?? null,
    clientId: r.client_id as string,
    clientSecret: r.client_secret as string,
    accessLevel: r.access_level as AccessLevel,
    callbackUrls: r.callback_urls as string[], // jsonb, parsed by pg
    clientType: (r.client_type as ClientType | undefined) ?? 'confidential',
    createdAt: num(r.created_at),
  };
}

export function toToken(r: Raw): TokenRow {
  return {
    token: r.token as string,
    secret: r.secret as string,
    appId: r.app_id as bigint,
    userId: r.user_id as bigint,
    accessLevel: r.access_level as AccessLevel,
    createdAt: num(r.created_at),
  };
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

export function toOAuth2Token(r: Raw): OAuth2TokenRow {
  return {
    tokenHash: r.token_hash as string,
    kind: r.kind as OAuth2TokenRow['kind'],
    appId: r.app_id as bigint,
    userId: r.user_id as bigint,
    scopes: (r.scopes as string).split(' ').filter((x) => x !== ''),
    expiresAt: r.expires_at === null || r.expires_at === undefined ? null : Number(r.expires_at as bigint),
    createdAt: Number(r.created_at as bigint),
  };
}
