// X's published pay-per-use prices (docs.x.com, "X API pay-per-usage pricing and credits"), as a
// starting point the Usage page lets you edit. X bills reads per resource returned and writes per
// request; roost counts requests, so a read's cost here is per request unless you change it.
export const PRICING_SOURCE = 'https://docs.x.com/x-api/getting-started/pricing';

export interface Price {
  /** `METHOD /route` as the usage counts name it */
  route: string;
  /** US dollars; null: no published price */
  usd: number | null;
  /** X's line item, and its unit */
  item: string;
}

const USER_READ = { usd: 0.01, item: 'User: Read, $0.010 per resource' };
const FOLLOWS_READ = { usd: 0.01, item: 'Following/Followers: Read, $0.010 per resource' };
const INTERACTION_CREATE = { usd: 0.015, item: 'User Interaction: Create, $0.015 per request' };
const INTERACTION_DELETE = { usd: 0.01, item: 'Interaction: Delete, $0.010 per request' };
const NONE = { usd: null, item: 'no published price' };

export const PRICES: Price[] = [
  { route: 'GET /2/users', ...USER_READ },
  { route: 'GET /2/users/me', ...USER_READ },
  { route: 'GET /2/users/by', ...USER_READ },
  { route: 'GET /2/users/by/username/:username', ...USER_READ },
  { route: 'GET /2/users/:id', ...USER_READ },
  { route: 'GET /2/users/search', ...USER_READ },
  { route: 'GET /2/users/:id/followers', ...FOLLOWS_READ },
  { route: 'GET /2/users/:id/following', ...FOLLOWS_READ },
  { route: 'POST /2/users/:id/following', ...INTERACTION_CREATE },
  { route: 'DELETE /2/users/:source_user_id/following/:target_user_id', ...INTERACTION_DELETE },
  { route: 'GET /2/users/:id/blocking', ...NONE },
  { route: 'POST /2/users/:id/blocking', ...NONE },
  { route: 'DELETE /2/users/:source_user_id/blocking/:target_user_id', ...NONE },
  { route: 'GET /2/users/:id/muting', ...NONE },
  { route: 'POST /2/users/:id/muting', ...NONE },
  { route: 'DELETE /2/users/:source_user_id/muting/:target_user_id', usd: 0.005, item: 'Mute: Delete, $0.005 per request' },
];

/** v1.1 endpoints, and any route not listed, have no published pay-per-use price. */
export function priceOf(route: string, table: readonly Price[]): Price {
  return table.find((p) => p.route === route) ?? { route, ...NONE };
}
