// The sign-in form. Every authorize page shows it when nobody is signed in; it posts to
// POST /i/sign-in, which checks the password and sends the browser back to the page it came from.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, verifyPassword } from '../../auth/passwords.js';
import { ATTEMPTS_PER_ACCOUNT, ATTEMPTS_PER_ADDRESS } from '../../limits/sign-in-throttle.js';
import type { ServerConfig } from '../../config.js';
import { firstValues, parseForm } from '../form.js';
import { originOf, sendPage, sendRedirect } from './html.js';
import { badRequestPage, EXPIRED_FLOW, forbiddenPage, postedFields, type PageDeps } from './common.js';
import { checkAuthorize } from './oauth2-request.js';
import { csrfToken, csrfValid, type Session } from './session.js';
import { signInPage } from './views.js';
import { isVisible } from '../../graph/visibility.js';

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
  /** 200, or 429 when attempts are throttled */
  status?: number;
}

const BUDGET = `roost allows ${ATTEMPTS_PER_ACCOUNT} sign-in attempts per account and ${ATTEMPTS_PER_ADDRESS} per network address every 15 minutes.`;

export function showSignIn(reply: FastifyReply, session: Session, o: SignInOptions): FastifyReply {
  const page = signInPage({
    action: SIGN_IN_PATH, csrf: csrfToken(session, 'sign-in', o.returnTo), returnTo: o.returnTo,
    appName: o.appName, screenName: o.screenName, error: o.error, note: BUDGET,
  });
  return sendPage(reply, o.status ?? 200, page, o.formTargets);
}

/** The caller's address: the socket's, or the one the trusted proxy in front appended last. */
function clientAddress(req: FastifyRequest, config: ServerConfig): string {
  const forwarded = config.trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
  const address = last || req.socket.remoteAddress || 'unknown';
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
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
    // Counted before any hashing, known screen name or not, so the budget also bounds the CPU spent.
    const verdict = await deps.services.signInThrottle.attempt(screenName.slice(0, 64), clientAddress(req, deps.services.config));
    if (!verdict.allowed) {
      const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
      reply.header('retry-after', String(verdict.retryAfterSeconds));
      return showSignIn(reply, session, { returnTo, ...flow, screenName, status: 429,
        error: `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` });
    }
    const user = /^[A-Za-z0-9_]{1,15}$/.test(screenName) ? await store.userByScreenName(screenName) : undefined;
    const stored = user ? await store.passwordHash(user.id) : null;
    // verifyPassword spends the same time whether or not the user exists or has a password.
    const wanted = { ...DEFAULT_SCRYPT, N: deps.services.config.scryptN };
    const matches = await verifyPassword(password, stored, wanted);
    if (!matches || !isVisible(user)) {
      return showSignIn(reply, session, { returnTo, ...flow, screenName, error: WRONG });
    }
    // The password is at hand only now: a hash below today's cost is replaced by one at it.
    if (stored && needsRehash(stored, wanted)) {
      await hashPassword(password, wanted).then((hash) => store.setPasswordHash(user.id, hash))
        .catch((err: unknown) => req.log.warn({ err }, 'password rehash failed; the old hash stays'));
    }
    await deps.sessions.start(req, reply, user.id, session);
    return sendRedirect(reply, 303, returnTo);
  });
}
