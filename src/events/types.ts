// Follow events: what the graph records when it changes (an outbox written in the same
// transaction as the change), how readers page through it, and how webhook deliveries ask each
// kind of subscription what to send. The store adapters implement EventLog; the graph writes
// through Tx.recordEvent; the Activity API, Account Activity and webhooks read.
import type { UserId } from '../store/types.js';

/** The event types roost raises (a subset of X's Activity API types). */
export type EventType =
  | 'follow.follow'
  | 'follow.unfollow'
  | 'block.block'
  | 'block.unblock'
  | 'mute.mute'
  | 'mute.unmute'
  | 'profile.update.screenname' // the display name
  | 'profile.update.handle' // the @screen_name
  | 'profile.update.bio'
  | 'profile.update.url'
  | 'profile.update.geo'; // the free-text location

export const EVENT_TYPES: readonly EventType[] = [
  'follow.follow', 'follow.unfollow', 'block.block', 'block.unblock', 'mute.mute', 'mute.unmute',
  'profile.update.screenname', 'profile.update.handle', 'profile.update.bio', 'profile.update.url', 'profile.update.geo',
];

/** What a graph write hands to Tx.recordEvent; the store assigns seq, id and time. */
export interface NewEvent {
  type: EventType;
  /** the user who acted (follower, blocker, muter; the user whose profile changed) */
  sourceId: UserId;
  /** the user acted upon; null for profile updates */
  targetId: UserId | null;
  /** profile updates: the field's value before and after */
  before?: string;
  after?: string;
}

export interface StoredEvent extends NewEvent {
  /** position in the log: strictly increasing in commit order, the cursor of every reader */
  seq: bigint;
  /** the event's snowflake (X's event_uuid), a decimal string */
  id: string;
  /** ms since epoch, from the server's clock */
  createdAt: number;
}

/** Reading the outbox. Never skips a committed event, even with concurrent writers. */
export interface EventLog {
  /** Events with seq > `afterSeq`, oldest first, at most `limit`. */
  eventsAfter(afterSeq: bigint, limit: number): Promise<StoredEvent[]>;
  /** Events created in [fromMs, toMs], oldest first, with seq > afterSeq, at most `limit`. */
  eventsBetween(fromMs: number, toMs: number, afterSeq: bigint, limit: number): Promise<StoredEvent[]>;
  /** The highest seq a reader may see now (0n when the log is empty). */
  headSeq(): Promise<bigint>;
}

/**
 * Wakes readers after events commit, in this process and in every other process on the same
 * database (PostgreSQL LISTEN/NOTIFY, Redis pub/sub, or a poll of the log on SQLite).
 * A wake-up is a hint: readers then page with EventLog.eventsAfter.
 */
export interface EventFeed {
  onCommitted(listener: () => void): () => void;
  close(): Promise<void>;
}

/**
 * One body to POST to a webhook. Bodies of one lane (one subscription, or one subscribed user)
 * are delivered in order; different lanes go out side by side.
 */
export interface WebhookBody {
  body: object;
  lane: string;
}

/**
 * One kind of subscription that delivers to webhooks (Account Activity, Activity API
 * subscriptions with a webhook_id). The webhook deliverer asks each registered kind, for a
 * batch of events in order, which JSON bodies each event makes for a webhook: one answer per
 * event, in the same order, read at one moment (a subscription changed later applies to later
 * batches).
 */
export interface WebhookSubscriptionKind {
  readonly name: string;
  bodiesFor(webhookId: bigint, events: readonly StoredEvent[]): Promise<WebhookBody[][]>;
}
