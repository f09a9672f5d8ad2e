// Builds the webhook service of one process: the deliverer with the Account Activity and Activity
// API kinds registered, and the operations the routes call. Other kinds plug in with
// `services.webhooks.deliverer.register(kind)` (docs/events.md).
import type { Clock } from '../clock.js';
import type { ServerConfig } from '../config.js';
import type { EventFeed } from '../events/types.js';
import type { Store } from '../store/types.js';
import type { AssetHosts } from '../wire/v1/user.js';
import { activityWebhookKind } from '../wire/v2/activity-webhook-kind.js';
import { AccountActivityKind } from './account-activity.js';
import { Deliverer } from './deliverer.js';
import { Webhooks } from './webhooks.js';

/** Where user objects in webhook bodies point for default images: the public URL, else the address listened on (set once known). */
function assetsOf(config: ServerConfig): AssetHosts {
  const origin = config.publicUrl ? new URL(config.publicUrl).origin
    : `${config.tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  return { http: origin, https: origin };
}

export function createWebhooks(
  config: ServerConfig, store: Store, clock: Clock, ids: { next(): bigint }, log: { warn(msg: string): void }, feed: EventFeed,
): Webhooks {
  const policy = { emulator: config.emulator !== null, allow: config.webhooks.allow };
  const deliverer = new Deliverer({
    hooks: store.webhooks,
    events: store.events,
    feed,
    secretOf: async (appId) => (await store.appById(appId))?.consumerSecret,
    settings: config.webhooks,
    policy,
    warn: (m) => log.warn(m),
  });
  const assets = { current: assetsOf(config), fixed: config.publicUrl !== null };
  deliverer.register(new AccountActivityKind(store.webhooks, store, () => assets.current));
  // Activity API subscriptions that name a webhook_id.
  deliverer.register(activityWebhookKind(store.activity, (ids) => store.usersByIds(ids), () => assets.current));
  return new Webhooks({
    hooks: store.webhooks, events: store.events, deliverer, settings: config.webhooks, policy, clock, assets,
    newId: () => ids.next(), appById: (id) => store.appById(id), warn: (m) => log.warn(m),
  });
}
