// OAuth 1.0a request tokens of the three-legged flow (§8 of the v1.1 contract): minted by
// POST /oauth/request_token, approved on the consent page (which adds the user and a verifier),
// consumed once by POST /oauth/access_token. They live 15 minutes in the SingleUseStore.
import { randomInt } from 'node:crypto';
import type { AccessLevel, UserId } from '../store/types.js';
import { randomToken } from './credentials.js';
import type { SingleUseStore } from './single-use-store.js';

export const REQUEST_TOKEN_MS = 15 * 60 * 1000;

export interface RequestToken {
  token: string;
  secret: string;
  appId: bigint;
  /** an approved callback URL, or 'oob' (PIN) */
  callback: string;
  level: AccessLevel;
  expiresAt: number;
  /** set once the user approved */
  userId: UserId | null;
  verifier: string | null;
}

interface Stored {
  secret: string;
  appId: string;
  callback: string;
  level: AccessLevel;
  expiresAt: number;
  userId: string | null;
  verifier: string | null;
}

const keyOf = (token: string) => `oauth1-request:${token}`;

function decode(token: string, raw: string | null): RequestToken | null {
  if (raw === null) return null;
  const s = JSON.parse(raw) as Stored;
  return {
    token, secret: s.secret, appId: BigInt(s.appId), callback: s.callback, level: s.level, expiresAt: s.expiresAt,
    userId: s.userId === null ? null : BigInt(s.userId), verifier: s.verifier,
  };
}

function encode(r: RequestToken): string {
  const s: Stored = {
    secret: r.secret, appId: r.appId.toString(), callback: r.callback, level: r.level, expiresAt: r.expiresAt,
    userId: r.userId === null ? null : r.userId.toString(), verifier: r.verifier,
  };
  return JSON.stringify(s);
}

const TOKEN = /^[A-Za-z0-9]{1,100}$/;

export class RequestTokens {
  constructor(private readonly store: SingleUseStore, private readonly now: () => number) {}

  async mint(appId: bigint, callback: string, level: AccessLevel): Promise<RequestToken> {
    const r: RequestToken = {
      token: randomToken(32), secret: randomToken(40), appId, callback, level,
      expiresAt: this.now() + REQUEST_TOKEN_MS, userId: null, verifier: null,
    };
    await this.store.put(keyOf(r.token), encode(r), REQUEST_TOKEN_MS);
    return r;
  }

  /** A live request token, without consuming it. */
  async get(token: string): Promise<RequestToken | null> {
    if (!TOKEN.test(token)) return null;
    return decode(token, await this.store.get(keyOf(token)));
  }

  /** Consumes the token: whoever takes it first gets it, everyone after gets null. */
  async take(token: string): Promise<RequestToken | null> {
    if (!TOKEN.test(token)) return null;
    return decode(token, await this.store.take(keyOf(token)));
  }

  /** Records the user's approval and returns the verifier: a 7-digit PIN for `oob`, else random. */
  async approve(r: RequestToken, userId: UserId): Promise<string | null> {
    const remaining = r.expiresAt - this.now();
    if (remaining <= 0) return null;
    const verifier = r.callback === 'oob' ? String(randomInt(0, 10_000_000)).padStart(7, '0') : randomToken(32);
    await this.store.put(keyOf(r.token), encode({ ...r, userId, verifier }), remaining);
    return verifier;
  }
}
