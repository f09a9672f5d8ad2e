// Who is calling, by the names a test uses: the screen name and fixture token name of a user
// token, or the app's name for an app-only bearer. Taken from the caller the request pipeline
// authenticated, so a rule never matches on credentials the API would refuse.
import type { Caller } from '../auth/authenticate.js';

export interface CallerId {
  /** the screen name (user context) or app name (app-only); null: not authenticated */
  label: string | null;
  /** every name a fault rule's `caller` may match */
  names: string[];
  /** the app the credentials belong to; null: not authenticated */
  app: string | null;
}

export const ANONYMOUS: CallerId = { label: null, names: [], app: null };

/** `tokenNames`: access token value -> fixture token name. */
export function callerId(caller: Caller, tokenNames: ReadonlyMap<string, string>): CallerId {
  switch (caller.kind) {
    case 'app': return { label: caller.app.name, names: [caller.app.name], app: caller.app.name };
    case 'oauth2-user': return { label: caller.user.screenName, names: [caller.user.screenName], app: caller.app.name };
    case 'user': {
      const tokenName = tokenNames.get(caller.token.token);
      const name = caller.user.screenName;
      return { label: name, names: tokenName ? [name, tokenName] : [name], app: caller.app.name };
    }
  }
}
