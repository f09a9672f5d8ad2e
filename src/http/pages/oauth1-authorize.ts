// OAuth 1.0a authorize pages (§8.2 of the v1.1 contract): GET /oauth/authorize always asks,
// GET /oauth/authenticate ("Sign in with Twitter") skips the question when the user already
// authorised the app. Allow sends the browser to the callback with oauth_token and
// oauth_verifier, or shows a 7-digit PIN for `oob`; Cancel sends `denied=<request token>`.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RequestToken } from '../../auth/oauth1-requests.js';
import { percentEncode } from '../../auth/oauth1-signature.js';
import type { AppRow } from '../../auth/types.js';
import type { UserRow } from '../../graph/types.js';
import { firstValues, parseForm } from '../form.js';
import { pathOf, rawQuery } from '../request-url.js';
import { originOf, sendPage, sendRedirect } from './html.js';
import { badRequestPage, EXPIRED_FLOW, forbiddenPage, isTrue, postedFields, signedInUser, withQuery, type PageDeps } from './common.js';
import { csrfToken, csrfValid } from './session.js';
import { showSignIn } from './sign-in.js';
import { consentPage, deniedPage, levelInWords, pinPage } from './views.js';

const CONSENT_PATH = '/oauth/authorize';
const UNKNOWN_TOKEN = 'This sign-in link is not valid or has expired (unknown or expired oauth_token). Go back to the application and start again.';
const USED_TOKEN = 'This sign-in link was already used. Go back to the application and start again.';

export function registerOAuth1Authorize(app: FastifyInstance, deps: PageDeps): void {
  const { services, sessions, requests } = deps;
  const { store } = services;

  const targetsOf = (r: RequestToken): string[] => {
    const origin = r.callback === 'oob' ? null : originOf(r.callback);
    return origin ? [origin] : [];
  };

  /** Approval: a verifier, then the callback (or the PIN page for oob). */
  async function approve(reply: FastifyReply, r: RequestToken, client: AppRow, user: UserRow): Promise<FastifyReply> {
    const verifier = await requests.approve(r, user.id);
    if (verifier === null) return badRequestPage(reply, UNKNOWN_TOKEN);
    if (r.callback === 'oob') return sendPage(reply, 200, pinPage(client.name, verifier));
    return sendRedirect(reply, 302, withQuery(r.callback, [['oauth_token', r.token], ['oauth_verifier', verifier]]));
  }

  for (const mode of ['authorize', 'authenticate'] as const) {
    app.get(`/oauth/${mode}`, async (req, reply) => {
      const params = parseForm(rawQuery(req));
      const values = firstValues(params ?? []);
      const token = values.get('oauth_token') ?? '';
      const r = await requests.get(token);
      if (!r) return badRequestPage(reply, UNKNOWN_TOKEN);
      if (r.verifier !== null) return badRequestPage(reply, USED_TOKEN);
      const client = await store.appById(r.appId);
      if (!client) return badRequestPage(reply, UNKNOWN_TOKEN);

      const session = await sessions.currentOrAnonymous(req, reply);
      const user = isTrue(values.get('force_login')) ? null : await signedInUser(deps, session);
      if (!user) {
        // Coming back from the sign-in form must not ask to sign in again: force_login is dropped.
        return showSignIn(reply, session, {
          returnTo: `${pathOf(req)}?oauth_token=${percentEncode(token)}`, appName: client.name, formTargets: targetsOf(r),
          screenName: values.get('screen_name'),
        });
      }
      if (mode === 'authenticate' && await store.tokenFor(client.id, user.id, r.level)) return approve(reply, r, client, user);
      const page = consentPage({
        action: CONSENT_PATH, csrf: csrfToken(session, 'oauth1-consent', token), fields: { oauth_token: token },
        appName: client.name, user, access: levelInWords(r.level),
      });
      return sendPage(reply, 200, page, targetsOf(r));
    });
  }

  app.post(CONSENT_PATH, async (req, reply) => {
    const session = await sessions.current(req);
    const fields = postedFields(req);
    const token = fields.get('oauth_token') ?? '';
    if (!session || !csrfValid(session, 'oauth1-consent', token, fields.get('csrf_token'))) return forbiddenPage(reply);
    const user = await signedInUser(deps, session);
    if (!user) return forbiddenPage(reply);
    const decision = fields.get('decision');
    if (decision !== 'allow' && decision !== 'cancel') return badRequestPage(reply, 'Choose Allow or Cancel.');
    const r = await requests.get(token);
    if (!r) return badRequestPage(reply, EXPIRED_FLOW);
    if (r.verifier !== null) return badRequestPage(reply, USED_TOKEN);
    const client = await store.appById(r.appId);
    if (!client) return badRequestPage(reply, UNKNOWN_TOKEN);

    if (decision === 'allow') return approve(reply, r, client, user);
    // Denied: the request token is spent, and the app hears about it at its callback.
    await requests.take(token);
    if (r.callback === 'oob') return sendPage(reply, 200, deniedPage(client.name));
    return sendRedirect(reply, 302, withQuery(r.callback, [['denied', token]]));
  });
}
