// Activity API subscriptions with a webhook_id, as a kind of webhook subscription: the deliverer asks which bodies to POST to a webhook for a batch of events, and gets for each
// event one ActivityStreamResponse per subscription of that webhook it matches (the same object
// the stream sends), each subscription a lane of its own.
import { matches, usersOf, type ActivitySubscriptionStore } from '../../events/activity.js';
import type { StoredEvent, WebhookBody, WebhookSubscriptionKind } from '../../events/types.js';
import type { UserId, UserRow } from '../../graph/types.js';
import type { AssetHosts } from '../v1/user.js';
import { renderActivityEvent } from './activity.js';

/**
 * Registered with the webhook deliverer (`deliverer.register(activityWebhookKind(store.activity,
 * (ids) => store.usersByIds(ids), () => assets.current))`): `users` finds the users an event
 * names, `assets` is where profile images are served (the public URL, once known).
 */
export function activityWebhookKind(
  subscriptions: ActivitySubscriptionStore, users: (ids: readonly UserId[]) => Promise<ReadonlyMap<UserId, UserRow>>, assets: () => AssetHosts,
): WebhookSubscriptionKind {
  return {
    name: 'activity',
    async bodiesFor(webhookId: bigint, events: readonly StoredEvent[]): Promise<WebhookBody[][]> {
      const subs = await subscriptions.byWebhook(webhookId);
      const matched = events.map((event) => subs.filter((s) => matches(s, event)));
      const named = events.filter((_, i) => matched[i]!.length > 0);
      if (named.length === 0) return events.map(() => []);
      const found = await users(usersOf(named));
      const hosts = assets();
      return events.map((event, i) => matched[i]!.map((s) => ({ body: renderActivityEvent(event, s, found, hosts) as object, lane: `subscription:${s.id}` })));
    },
  };
}
