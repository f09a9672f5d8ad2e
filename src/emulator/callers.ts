// Who is calling, by the names a test uses: the screen name and fixture token name of a user
// token, or the app's name for an app-only bearer. Read from the Authorization header without
// verifying it: the real check runs later, on the route's own path.
import { hashToken } from '../auth/oauth2-tokens.js';
import type { Store, UserRow } from '../store/types.js';

export interface CallerId {
  /** the screen name (user context) or app name (app-only); null: no recognisable credentials */
  label: string | null;
  /** every name a fault rule's `caller` may match */
  names: string[];
  /** an app-only bearer (its rate limits are the app's) */
  app?: true;
}

export const ANONYMOUS: CallerId = { label: null, names: [] };

function oauthToken(header: string): string | null {
  const m = /(?:^|[\s,])oauth_token="([^"]*)"/.exec(header);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
}

const userCaller = (user: UserRow | undefined, tokenName?: string): CallerId =>
  user ? { label: user.screenName, names: [user.screenName, ...(tokenName ? [tokenName] : [])] } : ANONYMOUS;

/** `tokenNames`: access token value -> fixture token name. */
export async function identifyCaller(store: Store, authorization: string | undefined, tokenNames: ReadonlyMap<string, string>): Promise<CallerId> {
  const header = authorization?.trim() ?? '';
  if (/^oauth\s/i.test(header)) {
    const token = oauthToken(header);
    const row = token ? await store.tokenByValue(token) : undefined;
    return row ? userCaller(await store.userById(row.userId), tokenNames.get(row.token)) : ANONYMOUS;
  }
  if (/^bearer\s/i.test(header)) {
    const bearer = header.slice(6).trim();
    const app = await store.appByBearer(bearer);
    if (app) return { label: app.name, names: [app.name], app: true };
    const grant = await store.oauth2Token(hashToken(bearer));
    return grant ? userCaller(await store.userById(grant.userId)) : ANONYMOUS;
  }
  return ANONYMOUS;
}
