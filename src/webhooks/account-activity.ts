// Account Activity: for every webhook, the users subscribed to it (POST
// /2/account_activity/webhooks/:id/subscriptions/all) get X's AAA payload for each follow,
// block or mute they make or receive: {"for_user_id", "<kind>_events": [{type, created_timestamp,
// target, source}]} with v1.1 user objects. One body per subscribed user the event names.
import { usersOf } from '../events/activity.js';
import type { EventType, StoredEvent, WebhookBody, WebhookSubscriptionKind } from '../events/types.js';
import type { UserId, UserRow } from '../graph/types.js';
import type { UserStore } from '../store/types.js';
import type { WebhookStore } from '../store/webhook-types.js';
import { renderUserV1, type AssetHosts } from '../wire/v1/user.js';

/** X's array key and `type` for each event roost raises that Account Activity carries. */
const AAA: Partial<Record<EventType, [key: string, type: string]>> = {
  'follow.follow': ['follow_events', 'follow'],
  'follow.unfollow': ['follow_events', 'unfollow'],
  'block.block': ['block_events', 'block'],
  'block.unblock': ['block_events', 'unblock'],
  'mute.mute': ['mute_events', 'mute'],
  'mute.unmute': ['mute_events', 'unmute'],
};

export class AccountActivityKind implements WebhookSubscriptionKind {
  readonly name = 'account_activity';

  constructor(private readonly hooks: WebhookStore, private readonly users: UserStore, private readonly assets: () => AssetHosts) {}

  async bodiesFor(webhookId: bigint, events: readonly StoredEvent[]): Promise<WebhookBody[][]> {
    // The users each event names, for the events Account Activity carries (none for the rest).
    const named = events.map((e) => (AAA[e.type] === undefined || e.targetId === null ? []
      : e.sourceId === e.targetId ? [e.sourceId] : [e.sourceId, e.targetId]));
    const all = [...new Set(named.flat())];
    const subscribed = new Set(all.length === 0 ? [] : await this.hooks.subscribedAmong(webhookId, all));
    const to = named.map((ids) => ids.filter((id) => subscribed.has(id)));
    const users = subscribed.size === 0 ? new Map<UserId, UserRow>() : await this.users.usersByIds(usersOf(events.filter((_, i) => to[i]!.length > 0)));
    const assets = this.assets();
    const render = (u: UserRow) => renderUserV1(u, { variant: 'lookup', relation: null, isViewer: false, includeEntities: true, assets });
    return events.map((event, i) => {
      const source = users.get(event.sourceId);
      const target = users.get(event.targetId!);
      if (to[i]!.length === 0 || !source || !target) return [];
      const [key, type] = AAA[event.type]!;
      const item = { type, created_timestamp: String(event.createdAt), target: render(target), source: render(source) };
      return to[i]!.map((id) => ({ body: { for_user_id: id.toString(), [key]: [item] }, lane: `user:${id}` }));
    });
  }
}
