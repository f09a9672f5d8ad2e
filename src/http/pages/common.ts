// What the sign-in pages share: their services, reading a posted form, the signed-in user,
// appending parameters to a callback URL, and the standard error answers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestTokens } from '../../auth/oauth1-requests.js';
import { AuthorizationCodes } from '../../auth/oauth2-codes.js';
import { percentEncode } from '../../auth/oauth1-signature.js';
import type { UserRow } from '../../graph/types.js';
import type { Services } from '../deps.js';
import { firstValues, parseForm } from '../form.js';
import { isForm } from '../incoming.js';
import { sendPage } from './html.js';
import { Sessions, type Session } from './session.js';
import { errorPage } from './views.js';
import { isVisible } from '../../graph/visibility.js';

export interface PageDeps {
  services: Services;
  sessions: Sessions;
  codes: AuthorizationCodes;
  requests: RequestTokens;
}

export function pageDeps(services: Services): PageDeps {
  return {
    services,
    sessions: new Sessions(services.singleUse, services.config),
    codes: new AuthorizationCodes(services.singleUse),
    requests: new RequestTokens(services.singleUse, () => services.clock.now()),
  };
}

/** The fields of a posted form (first value of each name); empty if the body is not a form. */
export function postedFields(req: FastifyRequest): Map<string, string> {
  if (!isForm(req) || typeof req.body !== 'string') return new Map();
  return firstValues(parseForm(req.body) ?? []);
}

/** The session's user, if the session is signed in and the account may sign in. */
export async function signedInUser(deps: PageDeps, session: Session | null): Promise<UserRow | null> {
  if (!session || session.userId === null) return null;
  const user = await deps.services.store.userById(session.userId);
  return isVisible(user) ? user : null;
}

/** `uri` with parameters appended, keeping its own query string byte for byte. */
export function withQuery(uri: string, params: readonly (readonly [string, string])[]): string {
  const added = params.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  if (!uri.includes('?')) return `${uri}?${added}`;
  return uri.endsWith('?') || uri.endsWith('&') ? uri + added : `${uri}&${added}`;
}

export const isTrue = (v: string | undefined): boolean => v !== undefined && ['true', '1', 'yes', 't'].includes(v.toLowerCase());

/** A request that cannot go on: an HTML page, status 400, and never a redirect. */
export const badRequestPage = (reply: FastifyReply, message: string): FastifyReply =>
  sendPage(reply, 400, errorPage('Something went wrong', message));

/** A form posted without the CSRF token of this session and form. */
export const forbiddenPage = (reply: FastifyReply): FastifyReply =>
  sendPage(reply, 403, errorPage('This form has expired',
    'roost could not confirm that you sent this form from its own page. Go back to the application and start again.'));

export const EXPIRED_FLOW = 'This sign-in request has expired or was already used. Go back to the application and start again.';
