// What both adapters share about the outbox: the row shape, the default stamp and the
// in-process wake-up after COMMIT.
import type { EventType, StoredEvent } from '../events/types.js';
import { systemClock } from '../clock.js';
import { Snowflake } from '../graph/snowflake.js';
import type { EventStamp } from './types.js';
import type { Raw } from './row-mappers.js';

/** The system clock and a snowflake of this process; servers pass their own (services.ts). */
export function defaultEventStamp(): EventStamp {
  const ids = new Snowflake(systemClock);
  return { now: () => systemClock.now(), nextId: () => ids.next() };
}

/** The columns every event query selects, in both dialects. */
export const EVENT_COLUMNS = 'seq, id, type, created_at, source_id, target_id, before, after';

export function toStoredEvent(r: Raw): StoredEvent {
  const e: StoredEvent = {
    seq: BigInt(r.seq as bigint),
    id: String(r.id),
    type: r.type as EventType,
    createdAt: Number(r.created_at),
    sourceId: BigInt(r.source_id as bigint),
    targetId: r.target_id === null ? null : BigInt(r.target_id as bigint),
  };
  if (r.before !== null) e.before = r.before as string;
  if (r.after !== null) e.after = r.after as string;
  return e;
}
