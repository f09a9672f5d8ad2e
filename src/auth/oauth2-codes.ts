// OAuth 2.0 Authorization Code with PKCE (§3.4 of the v2 contract): the request a consent page
// shows, and the code its Allow issues. Codes are single-use, expire after 30 seconds and are
// bound to the client, the redirect URI and the PKCE challenge. A code presented again fails, and
// the token family issued from it (with every refresh since) is revoked (RFC 9700 §4.5.3 / RFC 6749 §4.1.2).
import { createHash } from 'node:crypto';
import type { UserId } from '../store/types.js';
import { randomToken, safeEqual } from './credentials.js';
import type { SingleUseStore } from './single-use-store.js';

export const CODE_MS = 30 * 1000;
/** How long a shown consent page can still be answered. */
export const PENDING_REQUEST_MS = 15 * 60 * 1000;
/** How long a redeemed code is remembered, so a replay can revoke what it bought. */
export const SPENT_CODE_MS = 15 * 60 * 1000;

export type ChallengeMethod = 'S256' | 'plain';

/** A validated authorize request, once the person is known. */
export interface AuthorizationRequest {
  appId: bigint;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  challenge: string;
  method: ChallengeMethod;
  userId: UserId;
}

interface Stored extends Omit<AuthorizationRequest, 'appId' | 'userId'> {
  appId: string;
  userId: string;
}

const encode = (r: AuthorizationRequest): string => JSON.stringify({ ...r, appId: r.appId.toString(), userId: r.userId.toString() } satisfies Stored);
function decode(raw: string | null): AuthorizationRequest | null {
  if (raw === null) return null;
  const s = JSON.parse(raw) as Stored;
  return { ...s, appId: BigInt(s.appId), userId: BigInt(s.userId) };
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const ID = /^[A-Za-z0-9]{1,200}$/;

/** RFC 7636 §4.1: 43-128 characters of [A-Za-z0-9-._~]; challenges of either method look the same. */
export const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

export function pkceMatches(method: ChallengeMethod, challenge: string, verifier: string): boolean {
  if (!PKCE_VALUE.test(verifier)) return false;
  const expected = method === 'plain' ? verifier : createHash('sha256').update(verifier, 'ascii').digest('base64url');
  return safeEqual(expected, challenge);
}

export type Redeemed =
  | { kind: 'grant'; grant: AuthorizationRequest }
  /** `family`: the tokens the first redemption issued, null if it issued none */
  | { kind: 'replayed'; family: string | null }
  | { kind: 'unknown' };

export class AuthorizationCodes {
  constructor(private readonly store: SingleUseStore) {}

  /** Keeps the request a consent page shows until the person answers it; returns its id. */
  async hold(request: AuthorizationRequest): Promise<string> {
    const id = randomToken(32);
    await this.store.put(`oauth2-request:${id}`, encode(request), PENDING_REQUEST_MS);
    return id;
  }

  /** The held request, consumed: a consent form is answered once. */
  async release(id: string): Promise<AuthorizationRequest | null> {
    if (!ID.test(id)) return null;
    return decode(await this.store.take(`oauth2-request:${id}`));
  }

  async issue(grant: AuthorizationRequest): Promise<string> {
    const code = randomToken(64);
    await this.store.put(`oauth2-code:${sha(code)}`, encode(grant), CODE_MS);
    return code;
  }

  /** Consumes the code at its first presentation, whatever happens next. */
  async redeem(code: string): Promise<Redeemed> {
    const grant = decode(await this.store.take(`oauth2-code:${sha(code)}`));
    if (grant) return { kind: 'grant', grant };
    const spent = await this.store.get(`oauth2-code-spent:${sha(code)}`);
    return spent === null ? { kind: 'unknown' } : { kind: 'replayed', family: spent === '' ? null : spent };
  }

  /** Remembers which token family a code bought (null: none). */
  async spent(code: string, family: string | null): Promise<void> {
    await this.store.put(`oauth2-code-spent:${sha(code)}`, family ?? '', SPENT_CODE_MS);
  }
}
