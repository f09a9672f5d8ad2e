// Row -> domain mapping shared by both adapters. The drivers differ only in how some columns
// arrive (SQLite: every integer as bigint, booleans as 0/1, JSON as text; PostgreSQL: int4 as
// number, booleans as booleans, jsonb parsed), so each adapter passes its column readers.
import type { AccessLevel, AppRow, ClientType, OAuth2TokenRow, ProfileTheme, TokenRow, UserRow, UserState } from './types.js';

export type Raw = Record<string, unknown>;

export interface ColumnReaders {
  /** a boolean column */
  bool(v: unknown): boolean;
  /** an integer column the domain keeps as a number (counts, codes, ms timestamps) */
  num(v: unknown): number;
  /** a JSON array of strings */
  strings(v: unknown): string[];
}

const STATES: UserState[] = ['active', 'suspended', 'deactivated'];
const THEMES: ProfileTheme[] = ['theme1', 'plain'];

export interface RowMappers {
  toUser(r: Raw): UserRow;
  toApp(r: Raw): AppRow;
  toToken(r: Raw): TokenRow;
  toOAuth2Token(r: Raw): OAuth2TokenRow;
}

export function rowMappers(col: ColumnReaders): RowMappers {
  return {
    toUser: (r) => ({
      id: r.id as bigint,
      screenName: r.screen_name as string,
      name: r.name as string,
      description: r.description as string,
      location: r.location as string,
      url: (r.url as string | null) ?? null,
      email: (r.email as string | null) ?? null,
      protected: col.bool(r.protected),
      verified: col.bool(r.verified),
      state: STATES[col.num(r.state)] ?? 'active',
      locked: col.bool(r.locked),
      followersCount: col.num(r.followers_count),
      friendsCount: col.num(r.friends_count),
      createdAt: col.num(r.created_at),
      theme: THEMES[col.num(r.theme)] ?? 'plain',
    }),
    toApp: (r) => ({
      id: r.id as bigint,
      name: r.name as string,
      consumerKey: r.consumer_key as string,
      consumerSecret: r.consumer_secret as string,
      bearerToken: (r.bearer_token as string | null) ?? null,
      clientId: r.client_id as string,
      clientSecret: r.client_secret as string,
      accessLevel: r.access_level as AccessLevel,
      callbackUrls: col.strings(r.callback_urls),
      clientType: (r.client_type as ClientType | undefined) ?? 'confidential',
      createdAt: col.num(r.created_at),
    }),
    toToken: (r) => ({
      token: r.token as string,
      secret: r.secret as string,
      appId: r.app_id as bigint,
      userId: r.user_id as bigint,
      accessLevel: r.access_level as AccessLevel,
      createdAt: col.num(r.created_at),
    }),
    toOAuth2Token: (r) => ({
      tokenHash: r.token_hash as string,
      kind: r.kind as OAuth2TokenRow['kind'],
      appId: r.app_id as bigint,
      userId: r.user_id as bigint,
      scopes: (r.scopes as string).split(' ').filter((x) => x !== ''),
      expiresAt: r.expires_at === null || r.expires_at === undefined ? null : col.num(r.expires_at),
      createdAt: col.num(r.created_at),
      family: (r.family as string | null | undefined) ?? (r.token_hash as string),
    }),
  };
}
