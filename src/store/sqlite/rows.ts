// Row <-> domain mapping for SQLite. Statements run with safeIntegers, so every INTEGER
// column arrives as a bigint; ids stay bigint, small numbers become numbers.
import type { AccessLevel, AppRow, ClientType, OAuth2TokenRow, GraphKind, TokenRow, UserRow, UserState } from '../types.js';

export const KIND_CODE: Record<GraphKind, number> = { follow: 0, request: 1, block: 2, mute: 3 };
export const STATE_CODE: Record<UserState, number> = { active: 0, suspended: 1, deactivated: 2 };
const STATES: UserState[] = ['active', 'suspended', 'deactivated'];

export type Raw = Record<string, unknown>;

const n = (v: unknown): number => Number(v as bigint);
const b = (v: unknown): boolean => Number(v as bigint) !== 0;

export function toUser(r: Raw): UserRow {
  return {
    id: r.id as bigint,
    screenName: r.screen_name as string,
    name: r.name as string,
    description: r.description as string,
    location: r.location as string,
    url: (r.url as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    protected: b(r.protected),
    verified: b(r.verified),
    state: STATES[n(r.state)] ?? 'active',
    locked: b(r.locked),
    followersCount: n(r.followers_count),
    friendsCount: n(r.friends_count),
    createdAt: n(r.created_at),
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
    callbackUrls: JSON.parse(r.callback_urls as string) as string[],
    clientType: (r.client_type as ClientType | undefined) ?? 'confidential',
    createdAt: n(r.created_at),
  };
}

export function toToken(r: Raw): TokenRow {
  return {
    token: r.token as string,
    secret: r.secret as string,
    appId: r.app_id as bigint,
    userId: r.user_id as bigint,
    accessLevel: r.access_level as AccessLevel,
    createdAt: n(r.created_at),
  };
}

/** A JSON array of integers, for `IN (SELECT value FROM json_each(?))`: one statement for any list length. */
export const idList = (ids: readonly bigint[]): string => `[${ids.join(',')}]`;

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
