// One open Activity stream as a Readable of lines: the app's matching events, each a JSON line
// ended by "\r\n", and a bare "\r\n" after `keepAliveMs` without one. The log is read only when
// the reader wants more (Node's backpressure: _read is called while the socket keeps up), one
// bounded batch at a time, so a slow reader holds at most a batch and a buffer, never the log.
import { Readable } from 'node:stream';
import { matches, usersOf, type ActivitySubscriptionRow, type ActivitySubscriptionStore } from '../../events/activity.js';
import type { EventFeed, EventLog, StoredEvent } from '../../events/types.js';
import type { UserId, UserRow } from '../../graph/types.js';
import { encodeJson } from '../../wire/json.js';
import type { AssetHosts } from '../../wire/v1/user.js';
import { renderActivityEvent } from '../../wire/v2/activity.js';

const BATCH = 256;
const EOL = Buffer.from('\r\n');

export interface StreamWindow {
  /** replay events created from this time (ms) before following the log; null: from now */
  fromMs: number | null;
  /** stop after events created up to this time (ms); null: never */
  toMs: number | null;
}

export interface ActivityLinesOptions {
  appId: bigint;
  log: EventLog;
  feed: EventFeed;
  subscriptions: ActivitySubscriptionStore;
  /** the users events name, by id (those gone since are absent) */
  users: (ids: readonly UserId[]) => Promise<ReadonlyMap<UserId, UserRow>>;
  assets: AssetHosts;
  keepAliveMs: number;
  /** the most subscriptions an app may hold: one batch loads them all */
  subscriptionCap: number;
  now: () => number;
  window: StreamWindow;
}

export class ActivityLines extends Readable {
  private cursor = 0n;
  /** the log's head when the stream opened: live reading starts after it */
  private head: bigint | null = null;
  private replaying: boolean;
  private pumping = false;
  private wanted = false;
  /** set by every wake-up of the feed; a read that found nothing looks again if it was set meanwhile */
  private woken = false;
  private wake: (() => void) | null = null;
  private readonly unlisten: () => void;
  private lastLineAt: number;
  /** asked to end (the server stops): the batch in hand is sent, then the end */
  private finishing = false;

  constructor(private readonly o: ActivityLinesOptions) {
    super({ highWaterMark: 64 * 1024 });
    this.replaying = o.window.fromMs !== null;
    this.lastLineAt = o.now();
    this.unlisten = o.feed.onCommitted(() => {
      this.woken = true;
      this.wake?.();
    });
  }

  /** Ends the stream once the batch in hand (if any) is pushed. */
  finish(): void {
    this.finishing = true;
    this.wake?.();
    if (!this.pumping && !this.destroyed) this.push(null);
  }

  override _read(): void {
    this.wanted = true;
    if (!this.pumping) void this.pump();
  }

  override _destroy(err: Error | null, done: (err: Error | null) => void): void {
    this.unlisten();
    this.wake?.();
    done(err);
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      this.head ??= await this.o.log.headSeq();
      if (!this.replaying && this.cursor < this.head) this.cursor = this.head;
      while (this.wanted && !this.destroyed && !this.finishing) {
        this.woken = false;
        const { events, last, end } = await this.nextBatch();
        if (this.destroyed) return;
        if (last !== null) this.cursor = last;
        const lines = events.length > 0 ? await this.render(events) : [];
        // A whole batch is pushed even past the buffer's mark: memory stays bounded by one batch.
        for (const line of lines) this.wanted = this.push(line);
        if (lines.length > 0) this.lastLineAt = this.o.now();
        if (end) this.finishing = true;
        if (this.finishing) {
          this.push(null);
          return;
        }
        if (last === null && !this.woken) await this.idle();
      }
      if (this.finishing && !this.destroyed) this.push(null);
    } catch (err) {
      this.destroy(err as Error);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * The next events after the cursor: the replayed window first, then the live log. `last`: the
   * seq to go on from (null: nothing new); `end`: the window's end is reached.
   */
  private async nextBatch(): Promise<{ events: StoredEvent[]; last: bigint | null; end: boolean }> {
    const { fromMs, toMs } = this.o.window;
    if (this.replaying) {
      const batch = await this.o.log.eventsBetween(fromMs!, toMs ?? Number.MAX_SAFE_INTEGER, this.cursor, BATCH);
      if (batch.length > 0) return { events: batch, last: batch[batch.length - 1]!.seq, end: false };
      // Replayed to the end of the log as it now is: carry on live, never below the head at open.
      this.replaying = false;
      if (this.cursor < this.head!) this.cursor = this.head!;
    }
    const past = toMs !== null && toMs < this.o.now();
    const batch = await this.o.log.eventsAfter(this.cursor, BATCH);
    const last = batch.length > 0 ? batch[batch.length - 1]!.seq : null;
    if (toMs === null) return { events: batch, last, end: false };
    const kept = batch.filter((e) => e.createdAt <= toMs);
    return { events: kept, last, end: kept.length < batch.length || (past && batch.length === 0) };
  }

  /** Waits for a wake-up from the feed, the keep-alive's time, or the window's end. */
  private async idle(): Promise<void> {
    const now = this.o.now();
    const untilKeepAlive = this.lastLineAt + this.o.keepAliveMs - now;
    if (untilKeepAlive <= 0) {
      this.lastLineAt = now;
      this.wanted = this.push(EOL);
      return;
    }
    const toMs = this.o.window.toMs;
    const wait = Math.max(1, Math.min(untilKeepAlive, toMs === null ? Infinity : toMs - now + 1));
    if (this.destroyed || this.finishing) return;
    await new Promise<void>((resolve) => {
      // Never what keeps a stopping process alive: an ended stream's wait is only a keep-alive.
      const timer = setTimeout(resolve, wait).unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
  }

  /** Lines for every (event, matching subscription) pair; subscriptions read per batch, so changes show at once. */
  private async render(batch: readonly StoredEvent[]): Promise<Buffer[]> {
    const subs = await this.o.subscriptions.list(this.o.appId, 0n, this.o.subscriptionCap);
    const byType = new Map<string, ActivitySubscriptionRow[]>();
    for (const s of subs) byType.set(s.eventType, [...(byType.get(s.eventType) ?? []), s]);
    const pairs: [StoredEvent, ActivitySubscriptionRow][] = [];
    for (const e of batch) for (const s of byType.get(e.type) ?? []) if (matches(s, e)) pairs.push([e, s]);
    if (pairs.length === 0) return [];
    const users = await this.o.users(usersOf(pairs.map(([e]) => e)));
    return pairs.map(([e, s]) => Buffer.concat([encodeJson(renderActivityEvent(e, s, users, this.o.assets)), EOL]));
  }
}
