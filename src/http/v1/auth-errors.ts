import { AuthError } from '../../auth/authenticate.js';
import { V1, V1Error } from '../../wire/v1/errors.js';

/** v1.1's codes for authentication failures (§7.6). */
export function v1AuthError(err: unknown): unknown {
  if (!(err instanceof AuthError)) return err;
  switch (err.reason) {
    case 'missing':
    case 'malformed': return new V1Error(V1.badAuthenticationData);
    case 'invalid-token': return new V1Error(V1.invalidToken);
    case 'unauthenticated': return new V1Error(V1.couldNotAuthenticate);
    case 'stale-timestamp': return new V1Error(V1.timestampOutOfBounds);
  }
}
