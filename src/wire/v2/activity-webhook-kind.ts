// Activity API subscriptions with a webhook_id, as a kind of webhook subscription: for each event
// the deliverer asks which bodies to POST to a webhook, and gets one ActivityStreamResponse per
// subscription of that webhook the event matches (the same object the stream sends).
import { matches, usersOf, type ActivitySubscriptionStore } from '../../events/activity.js';
import type { StoredEvent, WebhookSubscriptionKind } from '../../events/types.js';
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
    async bodiesFor(webhookId: string, event: StoredEvent): Promise<object[]> {
      if (!/^[0-9]{1,19}$/.test(webhookId) || BigInt(webhookId) >= 2n ** 63n) return [];
      const subs = (await subscriptions.byWebhook(BigInt(webhookId))).filter((s) => matches(s, event));
      if (subs.length === 0) return [];
      const found = await users(usersOf([event]));
      return subs.map((s) => renderActivityEvent(event, s, found, assets()) as object);
    },
  };
}
