// The webhook port: registered webhooks (per app), Account Activity subscriptions, each
// webhook's delivery cursor and lease, replay jobs and a bounded log of delivery attempts.
// Both adapters implement it (sqlite/webhook-store.ts, postgres/webhook-store.ts).
import type { UserId } from './types.js';

export interface WebhookRow {
  id: bigint;
  appId: bigint;
  url: string;
  valid: boolean;
  createdAt: number;
  /** the seq of the last event delivered (or skipped) to this webhook */
  cursor: bigint;
}

/** A webhook as stored at creation; its cursor is the event log's head then, where delivery starts. */
export type NewWebhook = WebhookRow;

export interface ReplayRow {
  id: bigint;
  webhookId: bigint;
  fromMs: number;
  toMs: number;
  /** the seq of the last event this job has sent */
  cursor: bigint;
  createdAt: number;
}

export interface AttemptRow {
  webhookId: bigint;
  /** the seq of the event the body was made from; 0 for the deliberate failures of emulator mode */
  eventSeq: bigint;
  /** the subscription kind that asked for the body */
  kind: string;
  at: number;
  /** the receiver's HTTP status, or null when none came (refused, timed out) */
  status: number | null;
  ms: number;
  error: string | null;
  /** the first bytes of the receiver's answer */
  answer: string | null;
  body: string;
}

/** Attempts kept per webhook; older ones are dropped as new ones are written. */
export const ATTEMPTS_KEPT = 200;

export interface WebhookStore {
  insertWebhook(w: NewWebhook): Promise<void>;
  webhook(id: bigint): Promise<WebhookRow | undefined>;
  webhooksOf(appId: bigint): Promise<WebhookRow[]>;
  allWebhooks(): Promise<WebhookRow[]>;
  setValid(id: bigint, valid: boolean): Promise<void>;
  /** Deletes the webhook with its subscriptions, replays, lease and attempts (Activity subscriptions that named it name none); false if none. */
  deleteWebhook(id: bigint): Promise<boolean>;

  /**
   * Takes or renews the webhook's delivery lease for `owner` until `untilMs`; false when another
   * owner holds an unexpired one. Only the holder delivers, so deliveries stay in order.
   */
  lease(id: bigint, owner: string, nowMs: number, untilMs: number): Promise<boolean>;
  releaseLease(id: bigint, owner: string): Promise<void>;

  /** Account Activity: false when the user was already subscribed. */
  subscribe(webhookId: bigint, userId: UserId, at: number): Promise<boolean>;
  /** false when there was no such subscription */
  unsubscribe(webhookId: bigint, userId: UserId): Promise<boolean>;
  /** Which of `users` are subscribed to the webhook. */
  subscribedAmong(webhookId: bigint, users: readonly UserId[]): Promise<UserId[]>;
  subscribers(webhookId: bigint): Promise<UserId[]>;
  /** Subscriptions across every webhook of the app. */
  countSubscriptions(appId: bigint): Promise<number>;

  insertReplay(job: ReplayRow): Promise<void>;
  replays(): Promise<ReplayRow[]>;
  advanceReplay(id: bigint, seq: bigint): Promise<void>;
  deleteReplay(id: bigint): Promise<void>;

  /**
   * Deliveries in one write: their attempts, in order (the log keeps the newest ATTEMPTS_KEPT per
   * webhook), and the cursor moved to `cursor` (never back; null leaves it).
   */
  recordDelivery(webhookId: bigint, attempts: readonly AttemptRow[], cursor: bigint | null): Promise<void>;
  /** The newest attempts first, at most `limit`. */
  attempts(limit: number, webhookId?: bigint): Promise<AttemptRow[]>;
}
