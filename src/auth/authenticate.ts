// Who is calling: OAuth 1.0a user context (RFC 5849) or an app-only bearer token.
// Failures carry a reason; each API renders it in its own error format.
import type { Clock } from '../clock.js';
import type { Param } from './percent-encoding.js';
import type { AppRow, Store, TokenRow, UserRow } from '../store/types.js';
import { MAX_NONCE_LENGTH, nonceDigest, type NonceStore } from './nonce-store.js';
import { liveOAuth2Token } from './oauth2-tokens.js';
import { parseOAuthHeader, verifySignature } from './oauth1-signature.js';
import { isNamed } from '../graph/visibility.js';
import { explainOAuth1, type OAuth1Explanation, type OAuth1Step } from './oauth1-explain.js';

export type Caller =
  | { kind: 'user'; app: AppRow; token: TokenRow; user: UserRow }
  | { kind: 'oauth2-user'; app: AppRow; user: UserRow; scopes: readonly string[] }
  | { kind: 'app'; app: AppRow; bearer: string };

/** Who called, as the console names a caller: the user's screen name, or the app's name for an app-only bearer. */
export const callerName = (caller: Caller | null): string | null =>
  caller === null ? null : caller.kind === 'app' ? caller.app.name : caller.user.screenName;

export type AuthFailure =
  | 'missing' // no credentials, or a scheme the route does not take
  | 'malformed' // unparsable header, essentials missing
  | 'invalid-token' // unknown, revoked or foreign token; unknown bearer
  | 'unauthenticated' // unknown consumer, bad signature, replayed nonce, wrong method/version, no token
  | 'stale-timestamp';

export class AuthError extends Error {
  constructor(readonly reason: AuthFailure, readonly explanation: OAuth1Explanation | null = null) {
    super(reason);
  }
}

export interface SignedRequest {
  method: string;
  authorization: string | undefined;
  /** every URL the client may have signed: the public URL, the URL this request arrived at */
  baseUrls: readonly string[];
  query: readonly Param[];
  /** form-encoded body pairs; empty for other content types */
  body: readonly Param[];
}

export interface OAuth1Verified {
  app: AppRow;
  oauth: Map<string, string>;
}

/** The pairs a signature covers: query, form body and the header's oauth_* (signature and realm aside). */
function signedParams(req: SignedRequest, oauth: Map<string, string>): Param[] {
  const fromHeader = req.authorization ? [...oauth].filter(([k]) => k !== 'oauth_signature') : [];
  return [...req.query, ...req.body, ...fromHeader].filter(([k]) => k !== 'oauth_signature' && k !== 'realm');
}

const REQUIRED = ['oauth_consumer_key', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method', 'oauth_timestamp'];

export class Authenticator {
  constructor(
    private readonly store: Store,
    private readonly nonces: NonceStore,
    private readonly clock: Clock,
    private readonly skewSeconds: number,
    /** what oauth_timestamp is checked against: clients sign with the wall clock, even when roost's own is set (emulator mode) */
    private readonly signatureClock: Clock = clock,
    /** attach an OAuth1Explanation to OAuth 1.0a refusals (emulator mode's console); off: no work */
    private readonly explain = false,
  ) {}

  /** The refusal, explained when asked to; `secrets` null when the consumer is unknown. */
  private refuse(reason: AuthFailure, step: OAuth1Step, req: SignedRequest, oauth: Map<string, string>, secrets: { consumer: string; token: string } | null = null): AuthError {
    if (!this.explain) return new AuthError(reason);
    return new AuthError(reason, explainOAuth1(step, {
      method: req.method, urls: req.baseUrls, params: signedParams(req, oauth), oauth, nowMs: this.signatureClock.now(),
      allowedSkewSeconds: this.skewSeconds, secrets,
    }));
  }

  /** Credentials for an API route: OAuth 1.0a with an access token, or a bearer token. */
  async authenticate(req: SignedRequest): Promise<Caller> {
    const header = req.authorization?.trim();
    if (header && /^bearer\s/i.test(header)) return this.bearer(header.slice(6).trim());
    const oauth = this.oauthParams(req);
    const tokenValue = oauth.get('oauth_token');
    if (tokenValue === undefined) {
      // A consumer-signed call with no user token is not enough for the API (§7.1).
      const verified = await this.verifyOAuth1(req, oauth, async () => '');
      throw this.refuse('unauthenticated', 'no-token', req, oauth, { consumer: verified.app.consumerSecret, token: '' });
    }
    // One read for the three where the store offers it (PostgreSQL); the checks below are the same.
    const consumerKey = oauth.get('oauth_consumer_key');
    const pre = consumerKey && this.store.oauthCaller ? await this.store.oauthCaller(consumerKey, tokenValue) : null;
    const token = pre ? pre.token : await this.store.tokenByValue(tokenValue);
    if (!token) throw this.refuse('invalid-token', 'unknown-token', req, oauth);
    const verified = await this.verifyOAuth1(req, oauth, async () => token.secret, pre ? { app: pre.app } : undefined);
    if (verified.app.id !== token.appId) throw this.refuse('invalid-token', 'token-of-another-app', req, oauth);
    const user = pre?.user ?? await this.store.userById(token.userId);
    if (!isNamed(user)) throw new AuthError('invalid-token');
    return { kind: 'user', app: verified.app, token, user };
  }

  /** The oauth_* parameters, from the Authorization header or (RFC 5849 §3.5.2-3) the request itself. */
  oauthParams(req: SignedRequest): Map<string, string> {
    const header = req.authorization?.trim();
    if (header) {
      if (!/^oauth\s/i.test(header)) throw new AuthError('missing');
      const parsed = parseOAuthHeader(header);
      if (!parsed) throw new AuthError('malformed');
      return parsed;
    }
    const inRequest = new Map<string, string>();
    for (const [k, v] of [...req.query, ...req.body]) {
      if (k.startsWith('oauth_') && !inRequest.has(k)) inRequest.set(k, v);
    }
    if (!inRequest.has('oauth_consumer_key')) throw new AuthError('missing');
    return inRequest;
  }

  /**
   * Checks consumer, method, timestamp, signature and nonce, in that order (§7.6).
   * `tokenSecret` supplies the secret of whatever token signed (access or request token).
   */
  async verifyOAuth1(
    req: SignedRequest, oauth: Map<string, string>, tokenSecret: () => Promise<string>,
    /** the consumer key's app, already read with the token (absent: none has that key) */
    known?: { app?: AppRow },
  ): Promise<OAuth1Verified> {
    for (const name of REQUIRED) if (!oauth.get(name)) throw this.refuse('malformed', 'malformed', req, oauth);
    // Refused before any lookup: a nonce is never stored as sent, and an absurd one not at all.
    if (oauth.get('oauth_nonce')!.length > MAX_NONCE_LENGTH) throw this.refuse('unauthenticated', 'nonce-too-long', req, oauth);
    const app = known ? known.app : await this.store.appByConsumerKey(oauth.get('oauth_consumer_key')!);
    if (!app) throw this.refuse('unauthenticated', 'unknown-consumer', req, oauth);
    if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1') throw this.refuse('unauthenticated', 'signature-method', req, oauth);
    const version = oauth.get('oauth_version');
    if (version !== undefined && version !== '1.0') throw this.refuse('unauthenticated', 'version', req, oauth);
    const secret = await tokenSecret();
    const secrets = { consumer: app.consumerSecret, token: secret };

    const timestamp = oauth.get('oauth_timestamp')!;
    const now = this.signatureClock.now();
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > this.skewSeconds) {
      throw this.refuse('stale-timestamp', 'stale-timestamp', req, oauth, secrets);
    }

    const ok = verifySignature({
      method: req.method,
      urls: req.baseUrls,
      params: signedParams(req, oauth),
      signature: oauth.get('oauth_signature')!,
      consumerSecret: app.consumerSecret,
      tokenSecret: secret,
    });
    if (!ok) throw this.refuse('unauthenticated', 'bad-signature', req, oauth, secrets);

    // Kept until the timestamp itself goes stale: after that the request is refused anyway.
    const expiresAt = (Number(timestamp) + this.skewSeconds) * 1000 + 1000;
    const digest = nonceDigest(app.consumerKey, oauth.get('oauth_token') ?? '', oauth.get('oauth_nonce')!);
    // 'full' (the store at its cap) refuses too: forgetting older nonces would let them replay.
    if ((await this.nonces.record(digest, expiresAt, now)) !== 'new') throw this.refuse('unauthenticated', 'reused-nonce', req, oauth, secrets);
    return { app, oauth };
  }

  /** Closes the nonce store's journal, if it has one. */
  close(): void {
    this.nonces.close();
  }

  /** A bearer is an app's token or an OAuth 2.0 user access token; the server tells them apart. */
  private async bearer(token: string): Promise<Caller> {
    if (!token) throw new AuthError('invalid-token');
    // Compared byte for byte as issued: never percent-decoded (§9.3).
    const app = await this.store.appByBearer(token);
    if (app) return { kind: 'app', app, bearer: token };
    const grant = await liveOAuth2Token(this.store, this.clock, token, 'access');
    if (!grant) throw new AuthError('invalid-token');
    const [client, user] = await Promise.all([this.store.appById(grant.appId), this.store.userById(grant.userId)]);
    if (!client || !isNamed(user)) throw new AuthError('invalid-token');
    return { kind: 'oauth2-user', app: client, user, scopes: grant.scopes };
  }
}
