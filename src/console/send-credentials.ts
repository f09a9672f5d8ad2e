// The credentials the request builder signs with, by name: a fixture token as an OAuth 1.0a user
// (`alice`), the same user through an OAuth 2.0 token roost mints for the app (`oauth2:alice`),
// or an app's bearer (`app:demo`).
import { randomBytes } from 'node:crypto';
import { percentEncode, sign, signatureBaseString } from '../auth/oauth1-signature.js';
import { issueOAuth2Tokens, liveOAuth2Token, unknownScopes, DEFAULT_SCOPES } from '../auth/oauth2-tokens.js';
import type { Param } from '../auth/percent-encoding.js';
import { ConsoleInputError, needEmulator, type ConsoleContext } from './router.js';

export interface Signer {
  /** the Authorization header for one request; OAuth 1.0a draws a new nonce each call */
  header(method: string, url: string, signed: readonly Param[]): string;
}

function oauth1(consumerKey: string, consumerSecret: string, token: string, tokenSecret: string): Signer {
  return {
    header(method, url, signed) {
      const oauth: Param[] = [
        ['oauth_consumer_key', consumerKey], ['oauth_nonce', randomBytes(16).toString('hex')], ['oauth_signature_method', 'HMAC-SHA1'],
        // Clients sign with the wall clock, and roost checks oauth_timestamp against it.
        ['oauth_timestamp', String(Math.floor(Date.now() / 1000))], ['oauth_token', token], ['oauth_version', '1.0'],
      ];
      const signature = sign(signatureBaseString(method, url, [...signed, ...oauth]), consumerSecret, tokenSecret);
      return `OAuth ${[...oauth, ['oauth_signature', signature] as Param].map(([k, v]) => `${k}="${percentEncode(v)}"`).join(', ')}`;
    },
  };
}

const bearer = (token: string): Signer => ({ header: () => `Bearer ${token}` });

/** Mints OAuth 2.0 access tokens for the builder, reusing one while it is live. */
export function credentials(ctx: ConsoleContext): (name: string, scopes: readonly string[]) => Promise<Signer | null> {
  const minted = new Map<string, string>();
  const oauth2 = async (name: string, scopes: readonly string[]): Promise<Signer> => {
    const t = needEmulator(ctx).loaded.tokens.get(name);
    if (!t) throw new ConsoleInputError(`no token named ${name}`);
    const unknown = unknownScopes(scopes);
    if (unknown.length > 0) throw new ConsoleInputError(`unknown scopes: ${unknown.join(' ')}`);
    const key = `${t.app.id} ${t.user.id} ${[...scopes].sort().join(' ')}`;
    const { store, clock } = ctx.services;
    const kept = minted.get(key);
    // A reset or a restored snapshot drops tokens, and the emulator's clock may pass their expiry.
    if (kept !== undefined && (await liveOAuth2Token(store, clock, kept, 'access'))) return bearer(kept);
    const issued = await issueOAuth2Tokens(store, clock, t.app, t.user, scopes.filter((s) => s !== 'offline.access'));
    minted.set(key, issued.access_token);
    return bearer(issued.access_token);
  };
  return async (name, scopes) => {
    if (name === '') return null;
    if (name.startsWith('app:')) {
      const a = needEmulator(ctx).loaded.apps.get(name.slice(4));
      if (!a?.bearerToken) throw new ConsoleInputError(`no app ${name.slice(4)} with a bearer token`);
      return bearer(a.bearerToken);
    }
    if (name.startsWith('oauth2:')) return oauth2(name.slice(7), scopes.length > 0 ? scopes : DEFAULT_SCOPES);
    const t = needEmulator(ctx).loaded.tokens.get(name);
    if (!t) throw new ConsoleInputError(`no token named ${name}`);
    return oauth1(t.app.consumerKey, t.app.consumerSecret, t.row.token, t.row.secret);
  };
}
