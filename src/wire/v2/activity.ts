// The Activity API's objects: a subscription, and one line of the stream (ActivityStreamResponse:
// data { event_type, event_uuid, filter, payload, tag }). Keys alphabetical, as X's v2 objects.
import type { StoredEvent } from '../../events/types.js';
import type { ActivitySubscriptionRow } from '../../events/activity.js';
import type { UserId, UserRow } from '../../graph/types.js';
import type { Json } from '../json.js';
import type { AssetHosts } from '../v1/user.js';
import { renderUserV2 } from './user.js';

/** X writes subscription times to the second (ISO 8601, as its v2 created_at). */
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

export function renderFilter(s: Pick<ActivitySubscriptionRow, 'userId' | 'direction'>): Json {
  return s.direction === null ? { user_id: s.userId.toString() } : { direction: s.direction, user_id: s.userId.toString() };
}

export function renderSubscription(s: ActivitySubscriptionRow): Json {
  const out: Record<string, Json> = {
    created_at: iso(s.createdAt),
    event_type: s.eventType,
    filter: renderFilter(s),
    subscription_id: s.id.toString(),
  };
  if (s.tag !== null) out.tag = s.tag;
  out.updated_at = iso(s.updatedAt);
  if (s.webhookId !== null) out.webhook_id = s.webhookId.toString();
  return out;
}

/** The payload's users: the v2 User with its default fields and what a profile shows. */
const PAYLOAD_USER_FIELDS: ReadonlySet<string> = new Set(['created_at', 'description', 'protected', 'public_metrics', 'verified']);

function payloadUser(id: UserId, users: ReadonlyMap<UserId, UserRow>, assets: AssetHosts): Json {
  const u = users.get(id);
  // A user removed since the event still has its id (X's User requires id, name, username).
  if (!u) return { id: id.toString(), name: '', username: '' };
  return renderUserV2(u, { fields: PAYLOAD_USER_FIELDS, relation: null, isCaller: false, email: false, assets });
}

function payload(e: StoredEvent, users: ReadonlyMap<UserId, UserRow>, assets: AssetHosts): Json {
  if (e.targetId === null) return { after: e.after ?? '', before: e.before ?? '' };
  return { source: payloadUser(e.sourceId, users, assets), target: payloadUser(e.targetId, users, assets) };
}

/** One event as delivered for one subscription (its filter and tag). */
export function renderActivityEvent(
  e: StoredEvent, sub: Pick<ActivitySubscriptionRow, 'userId' | 'direction' | 'tag'>, users: ReadonlyMap<UserId, UserRow>, assets: AssetHosts,
): Json {
  const data: Record<string, Json> = {
    event_type: e.type,
    event_uuid: e.id,
    filter: renderFilter(sub),
    payload: payload(e, users, assets),
  };
  if (sub.tag !== null) data.tag = sub.tag;
  return { data };
}
