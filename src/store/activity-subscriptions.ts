// The Activity API's subscriptions, stored per app: a port of its own beside the Store's three,
// each adapter's implementation in a file of its own (sqlite/ and postgres/ activity-subscriptions.ts).
// Event types are plain strings here: which ones exist is the events layer's knowledge.
import type { UserId } from './types.js';

export type ActivityDirection = 'inbound' | 'outbound';

export interface ActivitySubscriptionRow {
  /** a snowflake, X's subscription_id */
  id: bigint;
  appId: bigint;
  eventType: string;
  /** filter.user_id */
  userId: UserId;
  /** filter.direction; null: either */
  direction: ActivityDirection | null;
  tag: string | null;
  webhookId: bigint | null;
  createdAt: number;
  updatedAt: number;
}

export interface ActivitySubscriptionPatch {
  tag?: string;
  webhookId?: bigint;
}

export interface ActivitySubscriptionStore {
  /** Inserts the subscription unless its app already holds `cap`: the app's count after, or null (nothing written). */
  insert(row: ActivitySubscriptionRow, cap: number): Promise<number | null>;
  /** Changes one of the app's subscriptions; the row after, or undefined when the app has none by that id. */
  update(appId: bigint, id: bigint, patch: ActivitySubscriptionPatch, now: number): Promise<ActivitySubscriptionRow | undefined>;
  /** Deletes those of `ids` the app holds, in one transaction; the ids deleted. */
  delete(appId: bigint, ids: readonly bigint[]): Promise<bigint[]>;
  /** The app's subscriptions with id > afterId, oldest first, at most `limit`. */
  list(appId: bigint, afterId: bigint, limit: number): Promise<ActivitySubscriptionRow[]>;
  count(appId: bigint): Promise<number>;
  /** Every subscription delivering to this webhook. */
  byWebhook(webhookId: bigint): Promise<ActivitySubscriptionRow[]>;
}

/** Columns as both adapters name them; rows come back with bigint ids (SQLite safe integers, pg int8). */
export function toActivitySubscription(r: Record<string, unknown>): ActivitySubscriptionRow {
  return {
    id: BigInt(r.id as bigint),
    appId: BigInt(r.app_id as bigint),
    eventType: r.event_type as string,
    userId: BigInt(r.user_id as bigint),
    direction: (r.direction as ActivityDirection | null) ?? null,
    tag: (r.tag as string | null) ?? null,
    webhookId: r.webhook_id === null || r.webhook_id === undefined ? null : BigInt(r.webhook_id as bigint),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}
