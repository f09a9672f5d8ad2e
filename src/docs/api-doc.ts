// Renders docs/api.md from the endpoint table, so the documented limits and parameters are
// the ones the server enforces. `npm run docs` writes it; a test checks it is current.
import type { ParamSpec } from '../http/params.js';
import { V1_ENDPOINTS, v1Path, type V1Endpoint } from '../http/v1/endpoints.js';
import { bodyMembers, credentialKinds, V2_ENDPOINTS, type V2Endpoint } from '../http/v2/endpoints.js';

/** How roost serves a parameter where that differs from a plain "served". */
const PARAM_NOTES: Record<string, string> = {
  skip_status: 'accepted; roost stores no tweets, so `status` is never present',
  tweet_mode: 'accepted; affects only the embedded status, which roost never sends',
  include_entities: 'served (user `entities`; there is no status)',
  include_user_entities: 'served',
  include_email: 'served: `email` is the address given at `users create --email`, or null',
  page: 'served; only the first 1,000 matches are reachable',
  id: 'served (legacy fallback, §3.4 of the contract)',
  follow: 'served: turns device notifications on',
  device: 'served (tri-state: absent leaves it unchanged)',
  retweets: 'served (tri-state: absent leaves it unchanged)',
  resources: 'served',
};

function limits(e: V1Endpoint): string {
  if (!e.rateKey) return e.name === 'friendships/create' ? 'daily follow limits (161)' : '-';
  const app = e.appLimit === null ? 'app-only refused (220)' : `${e.appLimit} per app`;
  return `${e.userLimit} per user, ${app} / 15 min`;
}

function row(e: V1Endpoint): string {
  const status = e.extension ? `served (extension: ${e.extension})` : 'served';
  const note = (p: ParamSpec) => (p.name === 'count' && p.type === 'int' ? `default ${p.default}, ${p.min}-${p.max}, clamped` : PARAM_NOTES[p.name]);
  const listed = e.params.filter((p) => !p.unlisted);
  const params = listed.length === 0 ? '-' : listed.map((p) => `\`${p.name}\`${note(p) ? ` (${note(p)})` : ''}`).join('; ');
  return `| ${e.methods.join(', ')} \`${v1Path(e)}\` | ${status} | ${limits(e)} | ${params} |`;
}

function v2Row(e: V2Endpoint): string {
  const app = e.appLimit === null ? 'app-only refused' : `${e.appLimit} per app`;
  const limit = e.appOnly ? `${app} / 15 min` : `${e.userLimit} per user, ${app} / 15 min`;
  const named = { 'oauth1': `OAuth 1.0a user${e.write ? ' (write access)' : ''}`, 'oauth2-user': `OAuth 2.0 user with \`${e.scopes?.join(' ')}\``, 'app-only': 'app-only bearer' };
  const auth = credentialKinds(e).map((k) => named[k]).join('; ');
  const params = e.params.map((p) => `\`${p.name}\``).join(', ') || '-';
  const members = bodyMembers(e);
  const body = members.length > 0 ? ` body \`{${members.map((m) => `"${m}"`).join(', ')}}\`;` : '';
  const status = e.streaming ? 'served (newline-delimited JSON, kept open; see [events.md](events.md#the-activity-api))' : 'served';
  return `| ${e.method} \`${e.path}\` | ${status} | ${limit} | ${auth} |${body} ${params} |`;
}

export function renderApiDoc(): string {
  return [
    '# API coverage',
    '',
    'Generated from `src/http/v1/endpoints.ts` by `npm run docs`; do not edit by hand.',
    'Statuses: **served** (as Twitter did), **served (extension)** (not in Twitter\'s public API),',
    '**served differently** (and how), **not served**. Parameters not listed are ignored, as',
    'Twitter ignored unknown parameters. Behaviour where Twitter was silent: [behaviour.md](behaviour.md).',
    '',
    '## v1.1',
    '',
    '| Endpoint | Status | Rate limit | Parameters |',
    '|---|---|---|---|',
    ...V1_ENDPOINTS.map(row),
    '',
    '## v2',
    '',
    'Unknown and repeated parameters are 400 invalid-request, as on Twitter. `user.fields` takes every value',
    'of X\'s OpenAPI document; roost fills `created_at`, `description`, `entities`, `location`, `profile_image_url`,',
    '`protected`, `public_metrics`, `url`, `verified`, `verified_type`, `connection_status`, `receives_your_dm`,',
    '`subscription_type`, `parody`, `is_identity_verified`, `verified_followers_count` and `confirmed_email`',
    '(the caller\'s own, on `/2/users/me`); the rest have no value in roost and are omitted, as Twitter omitted',
    'empty fields. `expansions` and `tweet.fields` are validated; roost stores no tweets, so they add no `includes`.',
    '`GET /2/users/search` ranks matches as v1.1 `users/search` does; its `next_token` walks the first 1,000.',
    '',
    '| Endpoint | Status | Rate limit | Auth | Parameters |',
    '|---|---|---|---|---|',
    ...V2_ENDPOINTS.map(v2Row),
    '',
    '## OAuth',
    '',
    '| Endpoint | Status | Notes |',
    '|---|---|---|',
    '| POST `/oauth2/token` | served | Basic auth with the consumer key and secret, `grant_type=client_credentials`; one live bearer per app |',
    '| POST `/oauth2/invalidate_token` | served | Basic auth or an OAuth 1.0a user-context signature; `access_token` in body or query |',
    '| POST `/oauth/invalidate_token`, `/1.1/oauth/invalidate_token(.json)` | served | revokes the access token that signs the call |',
    '| POST `/oauth/request_token` | served | signed with the consumer key alone; `oauth_callback` must be one of the app\'s registered callback URLs or `oob` (missing means `oob`), else 403 with Twitter\'s XML 415 body; `x_auth_access_type` `read` or `write` lowers the access level; form-encoded answer; request tokens are single-use and live 15 minutes |',
    '| GET `/oauth/authorize`, GET `/oauth/authenticate` | served (HTML pages) | sign-in (screen name and password), then a consent page; `authenticate` skips consent when the user already authorised the app at that level; Allow → the callback with `oauth_token` and `oauth_verifier` (`oob`: a page showing a 7-digit PIN); Cancel → the callback with `denied=<request token>`; `force_login` and `screen_name` served; an unknown or expired token → a 400 page |',
    '| POST `/oauth/access_token` | served | signed with the request token; `oauth_verifier` required; plain-text 401s `Invalid request token.` and `Error processing your OAuth request: Invalid oauth_verifier parameter`; answers the user\'s access token (one per app, user and level) with `user_id` and `screen_name` |',
    '| GET `/i/oauth2/authorize`, GET `/2/oauth2/authorize` | served (HTML pages) | `response_type=code`, `client_id`, a registered `redirect_uri` (exact match), known `scope`s, `state` (up to 500 characters, returned untouched), `code_challenge` with `code_challenge_method` `S256` or `plain` (any case; missing means `plain`); anything wrong → a 400 page, never a redirect; Allow → `?state=…&code=…` (a single-use code valid 30 seconds), Cancel → `?error=access_denied&state=…` |',
    '| POST `/2/oauth2/token` | served | `authorization_code` and `refresh_token` grants; parameters from a form body, a JSON body or the query string, merged; Basic auth for confidential clients, `client_id` for public ones; access tokens live 2 hours; refresh tokens only with `offline.access`, rotated on every use; a reused code fails and revokes what it bought; RFC 6749 error bodies |',
    '| POST `/2/oauth2/revoke` | served | the same transports and client authentication; `token` (`token_type_hint` accepted) → `{"revoked":true}` |',
    '| POST `/i/sign-in` | served (extension) | the target of the sign-in form; CSRF-protected, not an API |',
    '',
    '## Not served',
    '',
    '- `users/report_spam`, `users/profile_banner`, `users/suggestions*`, and everything about tweets,',
    '  lists, direct messages and media: roost models the social graph only.',
    '- The legacy path-id forms (`/1.1/users/show/:id.json`): no current client uses them.',
    '',
  ].join('\n');
}
