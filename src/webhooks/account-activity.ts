// Account Activity: for every webhook, the users subscribed to it (POST
// /2/account_activity/webhooks/:id/subscriptions/all) get X's AAA payload for each follow,
// block or mute they make or receive: {"for_user_id", "<kind>_events": [{type, created_timestamp,
// target, source}]} with v1.1 user objects. One body per subscribed user the event names.
import { usersOf } from '../events/activity.js';
import type { EventType, StoredEvent, WebhookBody, WebhookSubscriptionKind } from '../events/types.js';
import type { UserRow } from '../graph/types.js';
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

  async bodiesFor(webhookId: string, events: readonly StoredEvent[]): Promise<WebhookBody[][]> {
    const carried = events.filter((e) => AAA[e.type] !== undefined && e.targetId !== null);
    if (carried.length === 0) return events.map(() => []);
    const subscribed = new Set(await this.hooks.subscribedAmong(BigInt(webhookId), usersOf(carried)));
    if (subscribed.size === 0) return events.map(() => []);
    const mine = carried.filter((e) => subscribed.has(e.sourceId) || subscribed.has(e.targetId!));
    const users = mine.length === 0 ? new Map() : await this.users.usersByIds(usersOf(mine));
    const assets = this.assets();
    const render = (u: UserRow) => renderUserV1(u, { variant: 'lookup', relation: null, isViewer: false, includeEntities: true, assets });
    return events.map((event) => {
      const shape = AAA[event.type];
      if (!shape || event.targetId === null) return [];
      const named = event.sourceId === event.targetId ? [event.sourceId] : [event.sourceId, event.targetId];
      const to = named.filter((id) => subscribed.has(id));
      const source = users.get(event.sourceId);
      const target = users.get(event.targetId);
      if (to.length === 0 || !source || !target) return [];
      const item = { type: shape[1], created_timestamp: String(event.createdAt), target: render(target), source: render(source) };
      return to.map((id) => ({ body: { for_user_id: id.toString(), [shape[0]]: [item] }, lane: `user:${id}` }));
    });
  }
}
