import { toJson, type Json } from '../wire/json.js';
import type { AppRow, TokenRow, UserRow } from '../store/types.js';
import { renderUserV1 } from '../wire/v1/user.js';
import type { ServerConfig } from '../config.js';

export class CliError extends Error {}

export function print(value: Json): void {
  process.stdout.write(`${toJson(value)}\n`);
}

export function userJson(user: UserRow, config: ServerConfig): Json {
  const host = config.publicUrl ? new URL(config.publicUrl).host : `${config.host}:${config.port}`;
  return renderUserV1(user, {
    variant: 'show', relation: null, isViewer: false, includeEntities: true, assets: { http: `http://${host}`, https: `https://${host}` },
  });
}

export const appJson = (a: AppRow): Json => ({
  consumer_key: a.consumerKey, consumer_secret: a.consumerSecret, bearer_token: a.bearerToken,
  client_id: a.clientId, client_secret: a.clientType === 'public' ? null : a.clientSecret,
});

export const appListJson = (a: AppRow): Json => ({
  id: a.id, id_str: a.id.toString(), name: a.name, consumer_key: a.consumerKey, client_id: a.clientId,
  callback_urls: a.callbackUrls, client_type: a.clientType, created_at: new Date(a.createdAt).toISOString(),
});

export const tokenJson = (t: TokenRow, user: UserRow): Json => ({
  oauth_token: t.token, oauth_token_secret: t.secret, user_id: user.id.toString(), screen_name: user.screenName,
});
