// Renders docs/api.md from the endpoint table, so the documented limits and parameters are
// the ones the server enforces. `npm run docs` writes it; a test checks it is current.
import { V1_ENDPOINTS, v1Path, type V1Endpoint } from '../http/v1/endpoints.js';

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
  const note = (p: string) => (p === 'count' && e.count ? `default ${e.count.default}, 1-${e.count.max}, clamped` : PARAM_NOTES[p]);
  const params = e.params.length === 0 ? '-' : e.params.map((p) => `\`${p}\`${note(p) ? ` (${note(p)})` : ''}`).join('; ');
  return `| ${e.methods.join(', ')} \`${v1Path(e)}\` | ${status} | ${limits(e)} | ${params} |`;
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
    '## OAuth',
    '',
    '| Endpoint | Status | Notes |',
    '|---|---|---|',
    '| POST `/oauth2/token` | served | Basic auth with the consumer key and secret, `grant_type=client_credentials`; one live bearer per app |',
    '| POST `/oauth2/invalidate_token` | served | Basic auth or an OAuth 1.0a user-context signature; `access_token` in body or query |',
    '| POST `/oauth/invalidate_token`, `/1.1/oauth/invalidate_token(.json)` | served | revokes the access token that signs the call |',
    '| POST `/oauth/request_token`, GET `/oauth/authorize`, GET `/oauth/authenticate`, POST `/oauth/access_token` | not served yet | three-legged sign-in; tokens come from `bin/roost tokens create` |',
    '',
    '## Not served',
    '',
    '- `users/report_spam`, `users/profile_banner`, `users/suggestions*`, and everything about tweets,',
    '  lists, direct messages and media: roost models the social graph only.',
    '- The legacy path-id forms (`/1.1/users/show/:id.json`): no current client uses them.',
    '',
  ].join('\n');
}
