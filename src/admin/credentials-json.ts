// Apps and tokens as JSON, with the secrets a client needs: what `apps create`, `tokens create`
// and the emulator print. Kept with the accounts they describe, so neither prints through the other.
import type { AppRow, TokenRow, UserRow } from '../store/types.js';
import type { Json } from '../wire/json.js';

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
