// Twitter's v1.1 error codes, each declared once with its HTTP status and exact message (§6.3).
import type { GraphRefusal } from '../../graph/errors.js';

export interface V1ErrorDef {
  code: number;
  status: number;
  message: string;
}

const def = (code: number, status: number, message: string): V1ErrorDef => ({ code, status, message });

export const V1 = {
  noUserMatches: def(17, 404, 'No user matches for specified terms.'),
  tooManyTerms: def(18, 403, 'Too many terms specified in query.'),
  queryMissing: def(25, 400, 'Query parameters are missing.'),
  couldNotAuthenticate: def(32, 401, 'Could not authenticate you.'),
  pageNotFound: def(34, 404, 'Sorry, that page does not exist.'),
  parameterMissing: def(38, 403, 'parameter is missing.'),
  parameterInvalid: def(44, 400, 'parameter is invalid.'),
  userNotFound: def(50, 404, 'User not found.'),
  userSuspended: def(63, 403, 'User has been suspended.'),
  callerSuspended: def(64, 403, 'Your account is suspended and is not permitted to access this feature.'),
  /** the message names the method the route takes: `This method requires a GET or HEAD.` on a read */
  wrongMethod: def(86, 400, 'This method requires a POST.'),
  clientNotPermitted: def(87, 403, 'Client is not permitted to perform this action.'),
  rateLimited: def(88, 429, 'Rate limit exceeded'),
  invalidToken: def(89, 401, 'Invalid or expired token.'),
  unableToVerify: def(99, 403, 'Unable to verify your credentials'),
  cannotFindUser: def(108, 403, 'Cannot find specified user.'),
  /** the message names the field and its limit: `Account update failed: Name is too long (maximum is 50 characters).` */
  accountUpdateFailed: def(120, 403, 'Account update failed: value is too long.'),
  overCapacity: def(130, 503, 'Over capacity'),
  internalError: def(131, 500, 'Internal error'),
  timestampOutOfBounds: def(135, 401, 'Timestamp out of bounds.'),
  selfFollow: def(158, 403, "You can't follow yourself."),
  alreadyRequested: def(160, 403, "You've already requested to follow user."),
  followLimit: def(161, 403, 'You are unable to follow more people at this time.'),
  blockedFromFollowing: def(162, 403, 'You have been blocked from following this account at the request of the user.'),
  sourceUndetermined: def(163, 403, 'Could not determine source user.'),
  badUrlParameter: def(195, 403, 'Missing or invalid url parameter.'),
  badAuthenticationData: def(215, 400, 'Bad Authentication data.'),
  credentialsNotAllowed: def(220, 403, 'Your credentials do not allow access to this resource'),
  cannotMuteSelf: def(271, 403, "You can't mute yourself."),
  notMuting: def(272, 403, 'You are not muting the specified user.'),
  accountLocked: def(326, 403, 'To protect our users from spam and other malicious activity, this account is temporarily locked. Please log in to https://twitter.com to unlock your account.'),
  cannotInvalidate: def(348, 403, 'Client application is not permitted to to invalidate this token.'),
  callbackNotApproved: def(415, 403, 'Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings'),
  invalidApplication: def(416, 401, 'Invalid / suspended application'),
} as const;

/** A Twitter error in the standard format: {"errors":[{"code":N,"message":"..."}]}. */
export class V1Error extends Error {
  constructor(readonly def: V1ErrorDef, message?: string, readonly label?: string) {
    super(message ?? def.message);
  }
}

/** The legacy 401 body: {"request":"/1.1/...json","error":"Not authorized."}. */
export class V1LegacyError extends Error {
  readonly status = 401;
}

export const invalidParameter = (name: string) => new V1Error(V1.parameterInvalid, `${name} parameter is invalid.`);

/** How v1.1 answers a graph rule's refusal; `notFound` differs per endpoint (108, 34, 50). */
export function v1ErrorForRefusal(reason: GraphRefusal, notFound: V1ErrorDef, screenName?: string): V1Error {
  switch (reason) {
    case 'self-follow': return new V1Error(V1.selfFollow);
    case 'self-mute': return new V1Error(V1.cannotMuteSelf);
    case 'not-muting': return new V1Error(V1.notMuting);
    case 'already-requested':
      return new V1Error(V1.alreadyRequested, screenName ? `You've already requested to follow ${screenName}.` : undefined);
    case 'blocked-by-target': return new V1Error(V1.blockedFromFollowing);
    case 'blocking-target': return new V1Error(V1.blockedFromFollowing);
    case 'follow-limit': return new V1Error(V1.followLimit);
    case 'target-suspended': return new V1Error(V1.userSuspended);
    case 'target-not-found': return new V1Error(notFound);
    case 'no-pending-request': return new V1Error(V1.pageNotFound);
  }
}
