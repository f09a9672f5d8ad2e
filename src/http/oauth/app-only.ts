// App-only auth (§9): POST /oauth2/token mints the app's bearer, /oauth2/invalidate_token revokes it,
// and POST /oauth/invalidate_token revokes the access token that signs the call (§8.4).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthError } from '../../auth/authenticate.js';
import { observeAuth } from '../../observability/caller.js';
import { bearerToken, safeEqual } from '../../auth/credentials.js';
import type { AppRow } from '../../auth/types.js';
import { V1, V1Error } from '../../wire/v1/errors.js';
import type { Services } from '../deps.js';
import { percentDecode } from '../form.js';
import { decodeIncoming, UndecodableError, type Incoming } from '../incoming.js';
import { signedUrls } from '../request-url.js';
import { v1AuthError } from '../v1/auth-errors.js';
import { sendJson, sendV1Error } from '../v1/reply.js';

const unableToVerify = () => new V1Error(V1.unableToVerify, undefined, 'authenticity_token_error');

/** The app named by `Authorization: Basic base64(enc(key):enc(secret))`, or null. */
async function basicApp(services: Services, header: string | undefined): Promise<AppRow | null> {
  const m = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const key = percentDecode(decoded.slice(0, colon), true);
  const secret = percentDecode(decoded.slice(colon + 1), true);
  if (key === null || secret === null) return null;
  const app = await services.store.appByConsumerKey(key);
  return app && safeEqual(app.consumerSecret, secret) ? app : null;
}

function incomingOr99(req: FastifyRequest): Incoming {
  try {
    return decodeIncoming(req);
  } catch {
    throw unableToVerify();
  }
}

export function registerAppOnly(app: FastifyInstance, services: Services): void {
  app.post('/oauth2/token', async (req, reply) => {
    try {
      const incoming = incomingOr99(req);
      const client = await basicApp(services, req.headers.authorization);
      if (!client || incoming.values.get('grant_type') !== 'client_credentials') throw unableToVerify();
      let token = client.bearerToken;
      if (!token) {
        token = bearerToken();
        await services.store.setBearer(client.id, token);
      }
      return sendJson(reply, 200, { token_type: 'bearer', access_token: token });
    } catch (err) {
      return sendV1Error(reply, err, req.url);
    }
  });

  app.post('/oauth2/invalidate_token', async (req, reply) => {
    try {
      const incoming = incomingOr99(req);
      let client = await basicApp(services, req.headers.authorization);
      if (!client && /^oauth\s/i.test(req.headers.authorization ?? '')) {
        const caller = await services.auth.authenticate({
          method: req.method, authorization: req.headers.authorization, baseUrls: signedUrls(req, services.config),
          query: incoming.query, body: incoming.body,
        }).catch(() => null);
        client = caller?.app ?? null;
      }
      if (!client) throw unableToVerify();
      const token = incoming.values.get('access_token') ?? '';
      const owner = token ? await services.store.appByBearer(token) : undefined;
      if (!owner) throw new V1Error(V1.invalidToken);
      if (owner.id !== client.id) throw new V1Error(V1.cannotInvalidate);
      await services.store.setBearer(client.id, null);
      return sendJson(reply, 200, { access_token: token });
    } catch (err) {
      return sendV1Error(reply, err, req.url);
    }
  });

  for (const url of ['/oauth/invalidate_token', '/1.1/oauth/invalidate_token', '/1.1/oauth/invalidate_token.json']) {
    app.post(url, async (req, reply) => {
      try {
        const incoming = decodeIncoming(req);
        const caller = await observeAuth(req, services.auth.authenticate({
          method: req.method, authorization: req.headers.authorization, baseUrls: signedUrls(req, services.config),
          query: incoming.query, body: incoming.body,
        })).catch((err: unknown) => { throw v1AuthError(err); });
        if (caller.kind !== 'user') throw new V1Error(V1.credentialsNotAllowed);
        await services.store.revokeToken(caller.token.token);
        return sendJson(reply, 200, { access_token: caller.token.token });
      } catch (err) {
        // an undecodable query or body is answered as on every v1.1 route (403/195), not as a 500
        const known = err instanceof UndecodableError ? new V1Error(V1.badUrlParameter) : err instanceof AuthError ? v1AuthError(err) : err;
        return sendV1Error(reply, known, req.url);
      }
    });
  }
}
