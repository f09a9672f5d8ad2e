// OAuth 2.0 authorize page (§3.4 steps 1-2 of the v2 contract): GET /i/oauth2/authorize (the
// path Twitter used; also /2/oauth2/authorize) checks the request, asks the person to sign in,
// then shows what the app asks for. Allow sends the browser to the redirect URI with `state` and
// a 30-second code; Cancel with error=access_denied.
import type { FastifyInstance } from 'fastify';
import { parseForm } from '../form.js';
import { pathOf, rawQuery } from '../request-url.js';
import { originOf, sendPage, sendRedirect } from './html.js';
import { badRequestPage, EXPIRED_FLOW, forbiddenPage, postedFields, signedInUser, withQuery, type PageDeps } from './common.js';
import { checkAuthorize } from './oauth2-request.js';
import { csrfToken, csrfValid } from './session.js';
import { showSignIn } from './sign-in.js';
import { consentPage, scopeInWords } from './views.js';

const CONSENT_PATH = '/i/oauth2/authorize';

export function registerOAuth2Authorize(app: FastifyInstance, deps: PageDeps): void {
  const { services, sessions, codes } = deps;

  for (const path of [CONSENT_PATH, '/2/oauth2/authorize']) {
    app.get(path, async (req, reply) => {
      const params = parseForm(rawQuery(req));
      if (!params) return badRequestPage(reply, 'The sign-in address is not correctly encoded.');
      const check = await checkAuthorize(services, params);
      if (!check.ok) return badRequestPage(reply, check.message);
      const target = originOf(check.redirectUri)!;
      const session = await sessions.currentOrAnonymous(req, reply);
      const user = await signedInUser(deps, session);
      if (!user) {
        return showSignIn(reply, session, { returnTo: `${pathOf(req)}?${rawQuery(req)}`, appName: check.app.name, formTargets: [target] });
      }
      const held = await codes.hold({
        appId: check.app.id, clientId: check.app.clientId, redirectUri: check.redirectUri, scopes: check.scopes,
        state: check.state, challenge: check.challenge, method: check.method, userId: user.id,
      });
      const page = consentPage({
        action: CONSENT_PATH, csrf: csrfToken(session, 'oauth2-consent', held), fields: { request: held },
        appName: check.app.name, user, access: check.scopes.map(scopeInWords),
      });
      return sendPage(reply, 200, page, [target]);
    });
  }

  app.post(CONSENT_PATH, async (req, reply) => {
    const session = await sessions.current(req);
    const fields = postedFields(req);
    const held = fields.get('request') ?? '';
    if (!session || !csrfValid(session, 'oauth2-consent', held, fields.get('csrf_token'))) return forbiddenPage(reply);
    const decision = fields.get('decision');
    if (decision !== 'allow' && decision !== 'cancel') return badRequestPage(reply, 'Choose Allow or Cancel.');
    const request = await codes.release(held);
    if (!request) return badRequestPage(reply, EXPIRED_FLOW);
    const user = await signedInUser(deps, session);
    if (!user || user.id !== request.userId) return forbiddenPage(reply);

    if (decision === 'cancel') {
      return sendRedirect(reply, 302, withQuery(request.redirectUri, [['error', 'access_denied'], ['state', request.state]]));
    }
    const code = await codes.issue(request);
    return sendRedirect(reply, 302, withQuery(request.redirectUri, [['state', request.state], ['code', code]]));
  });
}
