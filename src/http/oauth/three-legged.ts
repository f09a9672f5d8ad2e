// OAuth 1.0a three-legged flow, the API half (§8.1 and §8.3 of the v1.1 contract):
// POST /oauth/request_token mints a request token for an approved callback (or `oob`), and
// POST /oauth/access_token trades it, with the verifier the authorize page handed out, for the
// user's access token. The pages in between live in ../pages/oauth1-authorize.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SignedRequest } from '../../auth/authenticate.js';
import { safeEqual } from '../../auth/credentials.js';
import { percentEncode } from '../../auth/oauth1-signature.js';
import type { RequestTokens } from '../../auth/oauth1-requests.js';
import { createToken } from '../../admin/accounts.js';
import type { AccessLevel } from '../../auth/types.js';
import { V1, V1Error } from '../../wire/v1/errors.js';
import type { Services } from '../deps.js';
import { decodeIncoming, UndecodableError, type Incoming } from '../incoming.js';
import { pathOf, signedUrls } from '../request-url.js';
import { v1AuthError } from '../v1/auth-errors.js';
import { sendV1Error } from '../v1/reply.js';
import { isNamed } from '../../graph/visibility.js';

const FORM_TYPE = 'application/x-www-form-urlencoded';
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache', 'x-content-type-options': 'nosniff' };

export const CALLBACK_NOT_APPROVED = `<?xml version="1.0" encoding="UTF-8"?>
<errors>
  <error code="415">Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings</error>
</errors>
`;
export const INVALID_VERIFIER = 'Error processing your OAuth request: Invalid oauth_verifier parameter';
export const INVALID_REQUEST_TOKEN = 'Invalid request token.';

const formBody = (pairs: readonly (readonly [string, string])[]) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');

function sendForm(reply: FastifyReply, pairs: readonly (readonly [string, string])[]): FastifyReply {
  return reply.code(200).headers(NO_STORE).header('content-type', FORM_TYPE).send(formBody(pairs));
}

/** Twitter's plain-text 401s of /oauth/access_token. */
function sendText401(reply: FastifyReply, text: string): FastifyReply {
  return reply.code(401).headers(NO_STORE).header('content-type', 'text/plain;charset=utf-8').send(text);
}

function signed(req: FastifyRequest, services: Services, incoming: Incoming): SignedRequest {
  return {
    method: req.method, authorization: req.headers.authorization, baseUrls: signedUrls(req, services.config),
    query: incoming.query, body: incoming.body,
  };
}

/** x_auth_access_type may lower the app's level, never raise it. */
function requestedLevel(appLevel: AccessLevel, asked: string | undefined): AccessLevel {
  if (asked === 'read') return 'read';
  if (asked === 'write' && appLevel === 'read-write-directmessages') return 'read-write';
  return appLevel;
}

export function registerThreeLegged(app: FastifyInstance, services: Services, requests: RequestTokens): void {
  const { auth, store, clock } = services;

  app.post('/oauth/request_token', async (req, reply) => {
    try {
      const incoming = decodeIncoming(req);
      const request = signed(req, services, incoming);
      const oauth = auth.oauthParams(request);
      // Signed with the consumer secret alone: the key is `consumer_secret&` (§7.4 step 7).
      const { app: client } = await auth.verifyOAuth1(request, oauth, async () => '');
      // The callback and access type may travel in the header or in the request (§8.1).
      const callback = oauth.get('oauth_callback') ?? incoming.values.get('oauth_callback') ?? '';
      const oob = callback === '' || callback.toLowerCase() === 'oob';
      if (!oob && !client.callbackUrls.includes(callback)) {
        return reply.code(403).headers(NO_STORE).header('content-type', 'application/xml;charset=utf-8').send(CALLBACK_NOT_APPROVED);
      }
      const level = requestedLevel(client.accessLevel, incoming.values.get('x_auth_access_type') ?? oauth.get('x_auth_access_type'));
      const r = await requests.mint(client.id, oob ? 'oob' : callback, level);
      return sendForm(reply, [['oauth_token', r.token], ['oauth_token_secret', r.secret], ['oauth_callback_confirmed', 'true']]);
    } catch (err) {
      return sendV1Error(reply, err instanceof UndecodableError ? new V1Error(V1.badAuthenticationData) : v1AuthError(err), pathOf(req));
    }
  });

  app.post('/oauth/access_token', async (req, reply) => {
    try {
      const incoming = decodeIncoming(req);
      const request = signed(req, services, incoming);
      const oauth = auth.oauthParams(request);
      const token = oauth.get('oauth_token') ?? incoming.values.get('oauth_token') ?? '';
      const r = await requests.get(token);
      if (!r) return sendText401(reply, INVALID_REQUEST_TOKEN);
      // Signed with the request token's secret; twitter-api-v2 repeats oauth_token in the body (§7.4).
      const { app: client } = await auth.verifyOAuth1(request, oauth, async () => r.secret);
      if (client.id !== r.appId) return sendText401(reply, INVALID_REQUEST_TOKEN);
      const verifier = oauth.get('oauth_verifier') ?? incoming.values.get('oauth_verifier') ?? '';
      if (r.verifier === null || r.userId === null || verifier === '' || !safeEqual(verifier, r.verifier)) {
        return sendText401(reply, INVALID_VERIFIER);
      }
      // Single use: of two concurrent exchanges, one wins.
      const taken = await requests.take(token);
      if (!taken || taken.verifier !== r.verifier) return sendText401(reply, INVALID_REQUEST_TOKEN);
      const user = await store.userById(r.userId);
      if (!isNamed(user)) return sendText401(reply, INVALID_REQUEST_TOKEN);
      const access = await createToken(store, clock, client, user, r.level);
      return sendForm(reply, [
        ['oauth_token', access.token], ['oauth_token_secret', access.secret], ['user_id', user.id.toString()], ['screen_name', user.screenName],
      ]);
    } catch (err) {
      return sendV1Error(reply, err instanceof UndecodableError ? new V1Error(V1.badAuthenticationData) : v1AuthError(err), pathOf(req));
    }
  });
}
