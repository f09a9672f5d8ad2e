// The Activity API's rules over the event log: which event types a subscription may name, who
// may subscribe to what, and which subscriptions an event matches. No HTTP, no JSON.
import type { ActivitySubscriptionRow } from '../store/activity-subscriptions.js';
import type { UserId } from '../store/types.js';
import { EVENT_TYPES, type EventType, type StoredEvent } from './types.js';

export const isEventType = (s: string): s is EventType => (EVENT_TYPES as readonly string[]).includes(s);

/** Blocks and mutes are private to their actor: subscribed to only by that user, with no direction (X's rule). */
export const isActorOnly = (t: EventType): boolean => t.startsWith('block.') || t.startsWith('mute.');

/** Events between two users take a direction; profile updates concern one user. */
export const isDirectional = (t: EventType): boolean => t.startsWith('follow.');

/**
 * Whether the event is one the subscription asked for: its type, and its user on the side the
 * direction names (inbound: the user was acted upon; outbound: the user acted; none: either).
 */
export function matches(sub: Pick<ActivitySubscriptionRow, 'eventType' | 'userId' | 'direction'>, e: StoredEvent): boolean {
  if (sub.eventType !== e.type) return false;
  const source = e.sourceId === sub.userId;
  const target = e.targetId !== null && e.targetId === sub.userId;
  if (sub.direction === 'inbound') return target;
  if (sub.direction === 'outbound') return source;
  // Blocks, mutes and profile updates name the actor (the subscriber, for the first two).
  return isDirectional(e.type) ? source || target : source;
}

/** The users an event's rendering names (its payload's source and target). */
export function usersOf(events: readonly StoredEvent[]): UserId[] {
  const ids = new Set<UserId>();
  for (const e of events) {
    ids.add(e.sourceId);
    if (e.targetId !== null) ids.add(e.targetId);
  }
  return [...ids];
}

// What the layers above use of the subscriptions' port (HTTP names no store module).
export type {
  ActivityDirection, ActivitySubscriptionPatch, ActivitySubscriptionRow, ActivitySubscriptionStore,
} from '../store/activity-subscriptions.js';
