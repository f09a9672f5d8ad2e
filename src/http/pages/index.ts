// Sign-in flows served by roost: the pages a person clicks through (sign-in, consent, PIN) and
// the endpoints the client calls around them, for OAuth 2.0 with PKCE and OAuth 1.0a.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../deps.js';
import { registerOAuth2Token } from '../oauth/oauth2-token.js';
import { registerThreeLegged } from '../oauth/three-legged.js';
import { pageDeps } from './common.js';
import { registerOAuth1Authorize } from './oauth1-authorize.js';
import { registerOAuth2Authorize } from './oauth2-authorize.js';
import { registerSignInForm } from './sign-in.js';

export function registerSignIn(app: FastifyInstance, services: Services): void {
  const deps = pageDeps(services);
  registerSignInForm(app, deps);
  registerOAuth2Authorize(app, deps);
  registerOAuth2Token(app, services, deps.codes);
  registerOAuth1Authorize(app, deps);
  registerThreeLegged(app, services, deps.requests);
}
