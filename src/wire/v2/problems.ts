// API v2 errors: RFC 7807-style problem objects for request-level failures, and partial errors
// inside a 200 when some requested resources cannot be returned (§5 of the v2 contract).
import type { Json } from '../json.js';

export const PROBLEM_BASE = 'https://api.twitter.com/2/problems/';

/** A request-level failure: status plus the exact body Twitter sent. */
export class V2Problem extends Error {
  constructor(readonly status: number, readonly body: Record<string, Json>) {
    super(String(body.detail ?? body.title));
  }
}

const blank = (status: number, title: string, detail = title) =>
  new V2Problem(status, { title, type: 'about:blank', status, detail });

export const unauthorized = () => blank(401, 'Unauthorized');
export const forbidden = () => blank(403, 'Forbidden');
export const notFound = () => blank(404, 'Not Found');
/** Members in the order of every captured 429 (§4), unlike the other about:blank bodies. */
export const tooManyRequests = () =>
  new V2Problem(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
export const internalError = () => blank(500, 'Internal Server Error');
export const serviceUnavailable = () => blank(503, 'Service Unavailable');
/** A refusal the server makes before any endpoint runs (a body too large, a server stopping). */
export const httpProblem = (status: number, title: string) => blank(status, title);

/** A refused graph action (blocked, and the like). */
export const notPermitted = () =>
  new V2Problem(403, { detail: 'You are not permitted to perform this action.', type: 'about:blank', title: 'Forbidden', status: 403 });

export const unsupportedAuthentication = () => new V2Problem(403, {
  title: 'Unsupported Authentication',
  detail: 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
  type: `${PROBLEM_BASE}unsupported-authentication`,
  status: 403,
});

/** A user context on an endpoint that takes app-only bearers alone (the Activity API's management). */
export const appOnlyRequired = (kind: 'OAuth 1.0a' | 'OAuth 2.0') => new V2Problem(403, {
  title: 'Unsupported Authentication',
  detail: `Authenticating with ${kind} User Context is forbidden for this endpoint.  Supported authentication types are [OAuth 2.0 Application-Only].`,
  type: `${PROBLEM_BASE}unsupported-authentication`,
  status: 403,
});

/** A webhook or Account Activity request X refuses by name (CrcValidationFailed, WebhookIdInvalid, ...). */
export const webhookRefusal = (message: string) => new V2Problem(400, {
  errors: [{ message }],
  title: 'Invalid Request',
  detail: 'One or more parameters to your request was invalid.',
  type: `${PROBLEM_BASE}invalid-request`,
});

export const oauth1Permissions = () => new V2Problem(403, {
  title: 'Forbidden',
  detail: 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.',
  type: `${PROBLEM_BASE}oauth1-permissions`,
  status: 403,
});

export interface ParameterError {
  parameters: Record<string, string[]>;
  message: string;
}

/** 400 invalid-request, one entry per failed check. */
export const invalidRequest = (errors: ParameterError[]) => new V2Problem(400, {
  errors: errors as unknown as Json,
  title: 'Invalid Request',
  detail: 'One or more parameters to your request was invalid.',
  type: `${PROBLEM_BASE}invalid-request`,
});

export const invalidValue = (param: string, value: string, why = 'is not valid'): ParameterError =>
  ({ parameters: { [param]: [value] }, message: `The \`${param}\` query parameter value [${value}] ${why}` });

/** A partial error: the order of members follows recorded responses. */
export function partialError(o: {
  value: string; detail: string; title: string; parameter: string; type: string; section?: string; resourceType?: string;
}): Json {
  return {
    value: o.value,
    detail: o.detail,
    title: o.title,
    resource_type: o.resourceType ?? 'user',
    parameter: o.parameter,
    resource_id: o.value,
    ...(o.section ? { section: o.section } : {}),
    type: o.type,
  };
}

export const userNotFound = (parameter: string, value: string) => partialError({
  value, parameter, title: 'Not Found Error', detail: `Could not find user with ${parameter}: [${value}].`, type: `${PROBLEM_BASE}resource-not-found`,
});

/** Twitter reported suspended users with title Forbidden but type resource-not-found. */
export const userSuspended = (parameter: string, value: string) => partialError({
  value, parameter, title: 'Forbidden', detail: `User has been suspended: [${value}].`, type: `${PROBLEM_BASE}resource-not-found`,
});

export const listNotAuthorized = (id: string) => partialError({
  value: id, parameter: 'id', title: 'Authorization Error', section: 'data',
  detail: `Sorry, you are not authorized to see the user with id: [${id}].`, type: `${PROBLEM_BASE}not-authorized-for-resource`,
});
