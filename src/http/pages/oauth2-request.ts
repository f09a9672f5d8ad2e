// Checking an OAuth 2.0 authorize request (§3.4 step 1 of the v2 contract). Anything wrong is
// shown on an error page, never sent to the redirect URI: an unknown client or an unregistered
// redirect URI must not become an open redirect, and roost shows the rest the same way.
import { KNOWN_SCOPES } from '../../auth/oauth2-tokens.js';
import { PKCE_VALUE, type ChallengeMethod } from '../../auth/oauth2-codes.js';
import type { AppRow } from '../../auth/types.js';
import type { Services } from '../deps.js';
import type { Param } from '../form.js';

export interface ValidAuthorize {
  ok: true;
  app: AppRow;
  redirectUri: string;
  scopes: string[];
  state: string;
  challenge: string;
  method: ChallengeMethod;
}

export type AuthorizeCheck = ValidAuthorize | { ok: false; message: string };

const SINGLE = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'];
const MAX_STATE = 500;

const invalid = (what: string): AuthorizeCheck => ({ ok: false, message: `The application sent an invalid sign-in request: ${what}` });

export async function checkAuthorize(services: Services, params: readonly Param[]): Promise<AuthorizeCheck> {
  const values = new Map<string, string>();
  const repeated = new Set<string>();
  for (const [k, v] of params) {
    if (values.has(k)) repeated.add(k);
    else values.set(k, v);
  }
  const clientId = values.get('client_id');
  const app = clientId && !repeated.has('client_id') ? await services.store.appByClientId(clientId) : undefined;
  if (!app) return { ok: false, message: 'roost does not know the application that sent you here (its client_id is missing or unknown).' };
  const redirectUri = values.get('redirect_uri');
  if (!redirectUri || repeated.has('redirect_uri') || !app.callbackUrls.includes(redirectUri)) {
    return { ok: false, message: `${app.name} asked to send you back to an address that is not registered for it (redirect_uri).` };
  }
  const twice = SINGLE.find((k) => repeated.has(k));
  if (twice) return invalid(`${twice} is given more than once.`);
  if (values.get('response_type') !== 'code') return invalid('response_type must be code.');

  const scopes = [...new Set((values.get('scope') ?? '').split(' ').filter((s) => s !== ''))];
  if (scopes.length === 0) return invalid('scope is missing.');
  const unknown = scopes.filter((s) => !(KNOWN_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) return invalid(`unknown scope ${unknown.join(', ')}.`);

  const state = values.get('state');
  if (state === undefined || state === '') return invalid('state is missing.');
  if ([...state].length > MAX_STATE) return invalid(`state is longer than ${MAX_STATE} characters.`);

  const challenge = values.get('code_challenge');
  if (!challenge) return invalid('code_challenge is missing.');
  if (!PKCE_VALUE.test(challenge)) return invalid('code_challenge must be 43 to 128 letters, digits, "-", ".", "_" or "~".');
  const rawMethod = values.get('code_challenge_method');
  // Missing means plain (RFC 7636 §4.3); clients send s256 and S256 alike.
  const method = rawMethod === undefined ? 'plain' : rawMethod.toLowerCase() === 's256' ? 'S256' : rawMethod.toLowerCase() === 'plain' ? 'plain' : null;
  if (method === null) return invalid('code_challenge_method must be S256 or plain.');

  return { ok: true, app, redirectUri, scopes, state, challenge, method };
}
