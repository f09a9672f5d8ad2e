// X's published pay-per-use prices ("X API pay-per-usage pricing and credits" on docs.x.com), as a
// starting point the Usage page lets you edit; each names the section of X's page it comes from.
// X bills reads per resource returned and writes per request; roost counts requests, so a read's
// cost here is per request unless you change it. Edits are kept in this browser (localStorage).
export const PRICING_PAGE = 'https://docs.x.com/x-api/getting-started/pricing';
const READS = `${PRICING_PAGE}#read-operations`;
const WRITES = `${PRICING_PAGE}#write-operations`;

export interface Price {
  /** `METHOD /route` as the usage counts name it */
  route: string;
  /** US dollars; null: no published price */
  usd: number | null;
  /** X's line item, and its unit */
  item: string;
  /** where X publishes it; null: X publishes no price for it */
  source: string | null;
}

const USER_READ = { usd: 0.01, item: 'User: Read, $0.010 per resource', source: READS };
const FOLLOWS_READ = { usd: 0.01, item: 'Following/Followers: Read, $0.010 per resource', source: READS };
const INTERACTION_CREATE = { usd: 0.015, item: 'User Interaction: Create, $0.015 per request', source: WRITES };
const INTERACTION_DELETE = { usd: 0.01, item: 'Interaction: Delete, $0.010 per request', source: WRITES };
const NONE = { usd: null, item: 'no published price', source: null };

export const PRICES: readonly Price[] = [
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
  { route: 'DELETE /2/users/:source_user_id/muting/:target_user_id', usd: 0.005, item: 'Mute: Delete, $0.005 per request', source: WRITES },
];

/** X's price of a route; v1.1 endpoints, and any route not listed, have no published pay-per-use price. */
export function publishedPrice(route: string): Price {
  return PRICES.find((p) => p.route === route) ?? { route, ...NONE };
}

const STORE_KEY = 'roost-prices';

/** The operator's edits, route -> USD (null: no price), as this browser keeps them. */
export class PriceEdits {
  private edits: Record<string, number | null>;

  constructor(private readonly storage: Storage = localStorage) {
    this.edits = PriceEdits.read(storage);
  }

  private static read(storage: Storage): Record<string, number | null> {
    try {
      const v: unknown = JSON.parse(storage.getItem(STORE_KEY) ?? '{}');
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
      return Object.fromEntries(Object.entries(v).filter(([, p]) => p === null || (typeof p === 'number' && Number.isFinite(p) && p >= 0)));
    } catch {
      return {};
    }
  }

  get count(): number {
    return Object.keys(this.edits).length;
  }

  edited(route: string): boolean {
    return route in this.edits;
  }

  /** The price in use: the edit, else X's. */
  usd(route: string): number | null {
    return this.edited(route) ? this.edits[route]! : publishedPrice(route).usd;
  }

  /** An edit equal to X's price is no edit. */
  set(route: string, usd: number | null): void {
    if (usd === publishedPrice(route).usd) delete this.edits[route];
    else this.edits[route] = usd;
    this.save();
  }

  reset(): void {
    this.edits = {};
    this.save();
  }

  private save(): void {
    if (this.count === 0) this.storage.removeItem(STORE_KEY);
    else this.storage.setItem(STORE_KEY, JSON.stringify(this.edits));
  }
}
