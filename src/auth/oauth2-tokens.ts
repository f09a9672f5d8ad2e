// OAuth 2.0 user tokens (Authorization Code with PKCE, and the CLI): opaque random strings,
// stored only as SHA-256 hashes, access tokens valid for two hours (§3.4 of the v2 contract).
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { AppRow, OAuth2TokenRow, OAuth2Tx, Store, UserRow } from '../store/types.js';
import { randomToken } from './credentials.js';

export const ACCESS_TOKEN_SECONDS = 7200;

/** Every scope X documented, so authorize URLs built for other features are not refused. */
export const KNOWN_SCOPES = [
  'tweet.read', 'tweet.write', 'tweet.moderate.write', 'users.read', 'users.email', 'follows.read', 'follows.write',
  'offline.access', 'space.read', 'mute.read', 'mute.write', 'like.read', 'like.write', 'list.read', 'list.write',
  'block.read', 'block.write', 'bookmark.read', 'bookmark.write', 'dm.read', 'dm.write', 'media.write', 'timeline.read',
] as const;

export const DEFAULT_SCOPES = ['tweet.read', 'users.read', 'follows.read', 'follows.write', 'block.read', 'block.write',
  'mute.read', 'mute.write', 'offline.access'];

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface OAuth2TokenResponse {
  token_type: 'bearer';
  expires_in: number;
  access_token: string;
  scope: string;
  refresh_token?: string;
}

export function unknownScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => !(KNOWN_SCOPES as readonly string[]).includes(s));
}

/** A new token family: one per authorization, inherited by every refresh after it. */
export const newFamily = (): string => randomToken(32);

/**
 * Issues an access token, and a refresh token when `offline.access` was granted, in `family`.
 * Inside `tx`, so the caller's rotation or check commits with them.
 */
export async function issueOAuth2TokensIn(tx: OAuth2Tx, now: number, app: AppRow, user: UserRow, scopes: readonly string[], family: string): Promise<OAuth2TokenResponse> {
  const access = randomToken(80);
  const base: Omit<OAuth2TokenRow, 'tokenHash' | 'kind' | 'expiresAt'> = { appId: app.id, userId: user.id, scopes: [...scopes], createdAt: now, family };
  await tx.insert({ ...base, tokenHash: hashToken(access), kind: 'access', expiresAt: now + ACCESS_TOKEN_SECONDS * 1000 });
  const out: OAuth2TokenResponse = { token_type: 'bearer', expires_in: ACCESS_TOKEN_SECONDS, access_token: access, scope: scopes.join(' ') };
  if (scopes.includes('offline.access')) {
    const refresh = randomToken(80);
    await tx.insert({ ...base, tokenHash: hashToken(refresh), kind: 'refresh', expiresAt: null });
    out.refresh_token = refresh;
  }
  return out;
}

/** Tokens of a new authorization (a new family), in one transaction. */
export async function issueOAuth2Tokens(store: Store, clock: Clock, app: AppRow, user: UserRow, scopes: readonly string[], family = newFamily()): Promise<OAuth2TokenResponse> {
  const now = clock.now();
  return store.transaction((tx) => issueOAuth2TokensIn(tx.oauth2, now, app, user, scopes, family));
}

/** A live token of the given kind, or undefined (unknown, revoked, expired or the other kind). */
export async function liveOAuth2Token(store: Store, clock: Clock, token: string, kind: OAuth2TokenRow['kind']): Promise<OAuth2TokenRow | undefined> {
  const row = await store.oauth2Token(hashToken(token));
  if (!row || row.kind !== kind) return undefined;
  if (row.expiresAt !== null && row.expiresAt <= clock.now()) return undefined;
  return row;
}
