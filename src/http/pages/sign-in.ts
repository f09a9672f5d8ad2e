// The sign-in form. Every authorize page shows it when nobody is signed in; it posts to
// POST /i/sign-in, which checks the password and sends the browser back to the page it came from.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { verifyPassword } from '../../auth/passwords.js';
import { firstValues, parseForm } from '../form.js';
import { originOf, sendPage, sendRedirect } from './html.js';
import { badRequestPage, EXPIRED_FLOW, forbiddenPage, postedFields, type PageDeps } from './common.js';
import { checkAuthorize } from './oauth2-request.js';
import { csrfToken, csrfValid, type Session } from './session.js';
import { signInPage } from './views.js';

export const SIGN_IN_PATH = '/i/sign-in';
/** The pages a sign-in may return to; anything else is refused (no open redirect). */
const FLOW_PATHS = ['/i/oauth2/authorize', '/2/oauth2/authorize', '/oauth/authorize', '/oauth/authenticate'];
const WRONG = 'The screen name and password you entered did not match our records. Please try again.';

export interface SignInOptions {
  /** the authorize page (path and query) to come back to once signed in */
  returnTo: string;
  appName: string;
  /** origins the flow may redirect to from here (form-action) */
  formTargets: readonly string[];
  screenName?: string;
  error?: string;
}

export function showSignIn(reply: FastifyReply, session: Session, o: SignInOptions): FastifyReply {
  const page = signInPage({
    action: SIGN_IN_PATH, csrf: csrfToken(session, 'sign-in', o.returnTo), returnTo: o.returnTo,
    appName: o.appName, screenName: o.screenName, error: o.error,
  });
  return sendPage(reply, 200, page, o.formTargets);
}

/** The app a return address belongs to, if it is a live authorize page. */
async function describeFlow(deps: PageDeps, returnTo: string): Promise<{ appName: string; formTargets: string[] } | null> {
  const q = returnTo.indexOf('?');
  if (q < 0 || !FLOW_PATHS.includes(returnTo.slice(0, q)) || /[\s\\]/.test(returnTo)) return null;
  const params = parseForm(returnTo.slice(q + 1));
  if (!params) return null;
  if (returnTo.startsWith('/oauth/')) {
    const request = await deps.requests.get(firstValues(params).get('oauth_token') ?? '');
    const app = request && await deps.services.store.appById(request.appId);
    if (!request || !app) return null;
    const origin = originOf(request.callback);
    return { appName: app.name, formTargets: origin ? [origin] : [] };
  }
  const check = await checkAuthorize(deps.services, params);
  if (!check.ok) return null;
  return { appName: check.app.name, formTargets: [originOf(check.redirectUri)!] };
}

export function registerSignInForm(app: FastifyInstance, deps: PageDeps): void {
  const { store } = deps.services;
  app.post(SIGN_IN_PATH, async (req, reply) => {
    const session = await deps.sessions.current(req);
    const fields = postedFields(req);
    const returnTo = fields.get('return_to') ?? '';
    if (!session || !csrfValid(session, 'sign-in', returnTo, fields.get('csrf_token'))) return forbiddenPage(reply);
    const flow = await describeFlow(deps, returnTo);
    if (!flow) return badRequestPage(reply, EXPIRED_FLOW);

    const screenName = (fields.get('screen_name') ?? '').trim().replace(/^@/, '');
    const password = fields.get('password') ?? '';
    const user = /^[A-Za-z0-9_]{1,15}$/.test(screenName) ? await store.userByScreenName(screenName) : undefined;
    // verifyPassword spends the same time whether or not the user exists or has a password.
    const matches = await verifyPassword(password, user ? await store.passwordHash(user.id) : null);
    if (!user || !matches || user.state !== 'active') {
      return showSignIn(reply, session, { returnTo, ...flow, screenName, error: WRONG });
    }
    await deps.sessions.start(req, reply, user.id, session);
    return sendRedirect(reply, 303, returnTo);
  });
}
