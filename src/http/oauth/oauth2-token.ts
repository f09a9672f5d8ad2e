// OAuth 2.0 token and revocation endpoints (§3.4 steps 3-4 of the v2 contract):
// POST /2/oauth2/token (authorization_code and refresh_token grants) and POST /2/oauth2/revoke.
// Parameters arrive in a form body, a JSON body or the query string (clients differ) and are
// merged. Confidential clients authenticate with Basic; public ones name themselves with
// client_id. Errors are RFC 6749 objects, not problem objects.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../../auth/credentials.js';
import { pkceMatches, type AuthorizationCodes } from '../../auth/oauth2-codes.js';
import { hashToken, issueOAuth2Tokens, issueOAuth2TokensIn, newFamily } from '../../auth/oauth2-tokens.js';
import type { AppRow } from '../../auth/types.js';
import type { Services } from '../deps.js';
import { firstValues, parseForm, percentDecode } from '../form.js';
import { isForm } from '../incoming.js';
import { rawQuery } from '../request-url.js';
import { sendJson } from '../v1/reply.js';
import { isNamed } from '../../graph/visibility.js';

export class OAuth2Failure extends Error {
  constructor(readonly status: 400 | 401, readonly error: string, readonly description: string) {
    super(description);
  }
}

const invalidRequest = (description: string) => new OAuth2Failure(400, 'invalid_request', description);
const missing = (name: string) => invalidRequest(`Missing required parameter [${name}].`);
const invalidCode = () => invalidRequest('Value passed for the authorization code was invalid.');
const invalidToken = () => invalidRequest('Value passed for the token was invalid.');
const unauthorizedClient = () => new OAuth2Failure(401, 'unauthorized_client', 'Missing valid authorization header');

/** Query string, then a form or JSON body on top: the union of the three transports. */
export function oauth2Params(req: FastifyRequest): Map<string, string> {
  const values = firstValues(parseForm(rawQuery(req)) ?? []);
  const body = typeof req.body === 'string' ? req.body : '';
  if (body.trim() === '') return values;
  if (/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw invalidRequest('Request body is not valid JSON.');
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [k, v] of Object.entries(parsed)) {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values.set(k, String(v));
      }
    }
  } else if (isForm(req)) {
    const pairs = parseForm(body);
    if (!pairs) throw invalidRequest('Request body is not correctly encoded.');
    for (const [k, v] of firstValues(pairs)) values.set(k, v);
  }
  return values;
}

/**
 * The calling client. With Basic: its client id and, for a confidential client, its secret
 * (a duplicate client_id or client_secret parameter is ignored). Without: a public client's
 * client_id parameter; a confidential client must use Basic.
 */
async function authenticateClient(services: Services, req: FastifyRequest, params: Map<string, string>): Promise<AppRow> {
  const header = req.headers.authorization;
  if (header !== undefined && header.trim() !== '') {
    const m = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!m) throw unauthorizedClient();
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const id = percentDecode(colon < 0 ? decoded : decoded.slice(0, colon), true);
    const secret = colon < 0 ? '' : percentDecode(decoded.slice(colon + 1), true);
    const client = id ? await services.store.appByClientId(id) : undefined;
    if (!client || secret === null) throw unauthorizedClient();
    if (client.clientType === 'confidential' && !safeEqual(client.clientSecret, secret)) throw unauthorizedClient();
    return client;
  }
  const id = params.get('client_id');
  if (!id) throw missing('client_id');
  const client = await services.store.appByClientId(id);
  if (!client || client.clientType === 'confidential') throw unauthorizedClient();
  return client;
}

function sendFailure(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof OAuth2Failure) return sendJson(reply, err.status, { error: err.error, error_description: err.description });
  reply.log.error({ err }, 'unhandled error');
  return sendJson(reply, 500, { error: 'server_error', error_description: 'Internal error' });
}

export function registerOAuth2Token(app: FastifyInstance, services: Services, codes: AuthorizationCodes): void {
  const { store, clock } = services;

  async function authorizationCode(client: AppRow, params: Map<string, string>) {
    const code = params.get('code');
    if (!code) throw missing('code');
    const verifier = params.get('code_verifier');
    if (!verifier) throw missing('code_verifier');
    const redirectUri = params.get('redirect_uri');
    if (!redirectUri) throw missing('redirect_uri');
    const redeemed = await codes.redeem(code);
    if (redeemed.kind === 'replayed') {
      // A code used twice was stolen or replayed: what it bought is revoked too (RFC 9700 §4.5.3).
      const family = redeemed.family;
      if (family !== null) await store.transaction((tx) => tx.oauth2.revokeFamily(family));
      throw invalidCode();
    }
    if (redeemed.kind === 'unknown') throw invalidCode();
    const grant = redeemed.grant;
    const user = await store.userById(grant.userId);
    if (grant.appId !== client.id || grant.redirectUri !== redirectUri || !pkceMatches(grant.method, grant.challenge, verifier)
      || !isNamed(user)) {
      await codes.spent(code, null);
      throw invalidCode();
    }
    const family = newFamily();
    const issued = await issueOAuth2Tokens(store, clock, client, user, grant.scopes, family);
    await codes.spent(code, family);
    return issued;
  }

  async function refreshToken(client: AppRow, params: Map<string, string>) {
    const refresh = params.get('refresh_token');
    if (!refresh) throw missing('refresh_token');
    const hash = hashToken(refresh);
    const now = clock.now();
    // One transaction: the check, the rotation and the new pair; or the family's revocation.
    const issued = await store.transaction(async (tx) => {
      const row = await tx.oauth2.token(hash);
      if (!row || row.kind !== 'refresh' || row.appId !== client.id) return null;
      if (row.revoked) {
        // Reuse of a rotated (or revoked) refresh token: the thief or the client has the newer one,
        // and roost cannot tell which, so the whole family dies (RFC 9700 §4.14.2).
        await tx.oauth2.revokeFamily(row.family);
        return null;
      }
      if (row.expiresAt !== null && row.expiresAt <= now) return null;
      const user = await tx.user(row.userId);
      if (!isNamed(user)) return null;
      await tx.oauth2.revoke(hash);
      return issueOAuth2TokensIn(tx.oauth2, now, client, user, row.scopes, row.family);
    });
    if (!issued) throw invalidToken();
    return issued;
  }

  app.post('/2/oauth2/token', async (req, reply) => {
    try {
      const params = oauth2Params(req);
      const client = await authenticateClient(services, req, params);
      const grantType = params.get('grant_type');
      if (!grantType) throw missing('grant_type');
      if (grantType === 'authorization_code') return sendJson(reply, 200, { ...(await authorizationCode(client, params)) });
      if (grantType === 'refresh_token') return sendJson(reply, 200, { ...(await refreshToken(client, params)) });
      throw new OAuth2Failure(400, 'unsupported_grant_type', 'Value passed for the grant_type was invalid.');
    } catch (err) {
      return sendFailure(reply, err);
    }
  });

  app.post('/2/oauth2/revoke', async (req, reply) => {
    try {
      const params = oauth2Params(req);
      const client = await authenticateClient(services, req, params);
      const token = params.get('token');
      if (!token) throw missing('token');
      const row = await store.oauth2Token(hashToken(token));
      // Another client's token is not this client's to revoke; an unknown one is already dead (RFC 7009 §2.2).
      if (row && row.appId !== client.id) throw invalidToken();
      // A refresh token takes the access tokens of its grant with it (RFC 7009 §2.1).
      if (row) {
        await store.transaction(async (tx) => {
          if (row.kind === 'refresh') await tx.oauth2.revokeFamily(row.family ?? row.tokenHash);
          else await tx.oauth2.revoke(row.tokenHash);
        });
      }
      return sendJson(reply, 200, { revoked: true });
    } catch (err) {
      return sendFailure(reply, err);
    }
  });
}
