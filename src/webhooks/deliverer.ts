// Delivers events to webhooks: at least once, in order per subscription, off the request path.
// Each webhook has a cursor in the database (the seq of the last event delivered); a pass reads
// the events after it from the EventLog a batch at a time, asks every registered
// WebhookSubscriptionKind for the bodies each event makes, POSTs them signed in lanes
// (lanes.ts), and writes the batch's attempts and cursor once. A failure stops that webhook
// before the first event not delivered and retries it later with exponential backoff and jitter. Only the holder of a webhook's lease (a row in the database)
// delivers to it, so several processes never deliver one webhook out of order; a process that
// dies loses the lease when it expires and the next one resumes from the cursor.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { WebhookSettings } from '../config.js';
import type { EventFeed, EventLog, StoredEvent, WebhookSubscriptionKind } from '../events/types.js';
import { ATTEMPTS_KEPT, type AttemptRow, type ReplayRow, type WebhookRow, type WebhookStore } from '../store/webhook-types.js';
import { toJson, type Json } from '../wire/json.js';
import { call, EXCERPT, type CallResult } from './http-call.js';
import { sendInLanes } from './lanes.js';
import { SIGNATURE_HEADER, signature } from './signature.js';
import { resolveTarget, WebhookUrlError, type Target, type UrlPolicy } from './url-guard.js';

/** A resend that cannot be made: no such webhook, or nothing to send for that event. */
export class ResendError extends Error {}

/** Events read per query: memory stays bounded whatever the backlog. */
const BATCH = 500;
/**
 * POSTs in flight to one webhook, one lane each: a lane (a subscription, a subscribed user)
 * is sent in order, lanes side by side, so one slow round trip does not pace every event.
 */
const LANES = 64;
/** Batches delivered to one webhook under one lease before the others get a turn. */
const HELD_BATCHES = 10;

/** One body to POST for an event. */
interface Outgoing { seq: bigint; kind: string; body: string; lane: string }

/**
 * Where a run of POSTs goes: the webhook, the secret they are signed with, and its address,
 * resolved and checked once for the run (or why it was refused).
 */
interface Destination { w: WebhookRow; secret: string; target: Target | null; refused: string | null }

export interface DelivererDeps {
  hooks: WebhookStore;
  events: EventLog;
  /** wake-ups for commits of every process on the database (the services' feed; closed with them) */
  feed: EventFeed | null;
  /** the consumer secret deliveries to the app's webhooks are signed with */
  secretOf(appId: bigint): Promise<string | undefined>;
  settings: WebhookSettings;
  policy: UrlPolicy;
  warn(message: string): void;
}

export class Deliverer {
  private readonly kinds = new Map<string, WebhookSubscriptionKind>();
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly active = new Set<bigint>();
  private readonly backoff = new Map<bigint, { failures: number; until: number }>();
  private readonly failing = { count: 0, status: 503 };
  private generation = 0;
  private scanning: Promise<void> | null = null;
  private rescan = false;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private unlisten: (() => void) | null = null;
  private readonly watchers = new Set<(a: AttemptRow) => void>();

  constructor(private readonly deps: DelivererDeps) {}

  /** Adds a kind of subscription; its bodies go to every webhook, after those of kinds registered before it. */
  register(kind: WebhookSubscriptionKind): () => void {
    if (this.kinds.has(kind.name)) throw new Error(`a webhook subscription kind named ${kind.name} is already registered`);
    this.kinds.set(kind.name, kind);
    return () => this.kinds.delete(kind.name);
  }

  start(): void {
    // Other processes' events on SQLite, expired leases and retries due, and webhooks another
    // process created: a poll covers them all. Commits wake it only while a webhook exists.
    this.timers.push(setInterval(() => this.wake(), this.deps.settings.pollMs).unref());
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unlisten?.();
    for (const t of this.timers) clearTimeout(t);
    // In-flight requests end by their own deadline; nothing waits for a hanging receiver.
    await Promise.race([this.scanning, new Promise((r) => setTimeout(r, 200).unref())]);
  }

  /** Emulator mode: the next `count` deliveries fail with `status` without being sent. */
  failNext(count: number, status: number): void {
    this.failing.count = count;
    this.failing.status = status;
  }

  /** Calls `listener` after each attempt this process records; the returned function stops it. */
  onAttempt(listener: (a: AttemptRow) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /**
   * Posts again, signed, what the webhook was sent for the event `seq` (the bodies its recorded
   * attempts carry, else those the event makes now), each attempt recorded. Out of band: the
   * cursor does not move. The attempts made, in order.
   */
  async resend(webhookId: bigint, seq: bigint): Promise<AttemptRow[]> {
    const w = await this.deps.hooks.webhook(webhookId);
    const secret = w && await this.deps.secretOf(w.appId);
    if (!w || secret === undefined) throw new ResendError(`no webhook ${webhookId}`);
    const sent = new Map<string, [string, string]>();
    for (const a of (await this.deps.hooks.attempts(ATTEMPTS_KEPT, webhookId)).reverse()) {
      if (a.eventSeq === seq) sent.set(`${a.kind}\n${a.body}`, [a.kind, a.body]);
    }
    let bodies = [...sent.values()];
    if (bodies.length === 0) {
      const [event] = await this.deps.events.eventsAfter(seq - 1n, 1);
      if (event?.seq === seq) bodies = (await this.outgoing(webhookId, [event])).map((o) => [o.kind, o.body]);
    }
    if (bodies.length === 0) throw new ResendError(`nothing was or would be sent to webhook ${webhookId} for event ${seq}`);
    const to = await this.destination(w, secret);
    const made: AttemptRow[] = [];
    for (const [kind, body] of bodies) made.push(await this.post(to, kind, seq, body));
    return made;
  }

  /** A hint that events may be waiting: every webhook not busy or backing off is looked at. */
  wake(): void {
    if (this.stopped) return;
    this.generation++;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = this.scan().catch((err: Error) => { if (!this.stopped) this.deps.warn(`webhook delivery: ${err.message}`); }).finally(() => {
      this.scanning = null;
      if (this.rescan) {
        this.rescan = false;
        this.wake();
      }
    });
  }

  private async scan(): Promise<void> {
    const [hooks, replays] = await Promise.all([this.deps.hooks.allWebhooks(), this.deps.hooks.replays()]);
    this.listen(hooks.length > 0 || replays.length > 0);
    const now = Date.now();
    for (const w of hooks) {
      if (this.active.size >= this.deps.settings.concurrency) return; // a finishing webhook wakes us again
      if (!w.valid || this.active.has(w.id) || (this.backoff.get(w.id)?.until ?? 0) > now) continue;
      this.active.add(w.id);
      const generation = this.generation;
      void this.serve(w, replays.filter((r) => r.webhookId === w.id))
        .catch((err: Error) => {
          // A store closing under a stopping server is no news.
          if (!this.stopped) this.deps.warn(`webhook ${w.id} delivery: ${err.message}`);
          return 'failed' as const;
        })
        .then((outcome) => {
          this.active.delete(w.id);
          if (outcome === 'failed') this.fail(w.id);
          // More may have come while it ran, or it stopped at a full batch, or a slot is free.
          if (outcome === 'more' || this.generation !== generation || this.active.size === this.deps.settings.concurrency - 1) this.wake();
        });
    }
  }

  /**
   * Follows every commit only while there is something to deliver: with no webhook, a write
   * costs no scan here, and on SQLite nothing polls the event log.
   */
  private listen(on: boolean): void {
    if (on && !this.unlisten && !this.stopped) this.unlisten = this.deps.feed?.onCommitted(() => this.wake()) ?? null;
    if (!on && this.unlisten) {
      this.unlisten();
      this.unlisten = null;
    }
  }

  private fail(id: bigint): void {
    const { retryMinMs, retryMaxMs } = this.deps.settings;
    const failures = (this.backoff.get(id)?.failures ?? 0) + 1;
    const ceiling = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(failures - 1, 30));
    const delay = Math.max(retryMinMs, ceiling / 2 + Math.random() * (ceiling / 2));
    this.backoff.set(id, { failures, until: Date.now() + delay });
    this.timers.push(setTimeout(() => this.wake(), delay + 1).unref());
  }

  /** Delivers what waits for one webhook; 'failed' leaves its cursor before the event that failed. */
  private async serve(w: WebhookRow, replays: ReplayRow[]): Promise<'idle' | 'more' | 'failed' | 'busy'> {
    const { hooks, events } = this.deps;
    // A look before taking the lease: an idle webhook costs one read, no write.
    if (replays.length === 0 && (await events.eventsAfter(w.cursor, 1)).length === 0) return 'idle';
    const lease = new Lease(hooks, w.id, this.owner, this.deps.settings.leaseMs);
    if (!await lease.renew()) return 'busy';
    let outcome: 'idle' | 'more' | 'failed' | 'busy' = 'failed';
    try {
      // A backlog is worked through under one lease, a few batches at a time, then the slot is
      // offered to the other webhooks.
      for (let n = 0; n < HELD_BATCHES; n++) {
        outcome = await this.deliverHeld(w, replays, lease);
        if (outcome !== 'more' || this.stopped) break;
      }
      return outcome;
    } finally {
      // After a failure the lease is kept until it runs out, so other processes do not retry
      // at once: the backoff holds across processes (up to the lease's length).
      if (outcome !== 'failed') await lease.release().catch(() => undefined);
    }
  }

  private async deliverHeld(w: WebhookRow, replays: ReplayRow[], lease: Lease): Promise<'idle' | 'more' | 'failed' | 'busy'> {
    const { hooks, events } = this.deps;
    const fresh = await hooks.webhook(w.id);
    const secret = fresh && await this.deps.secretOf(fresh.appId);
    if (!fresh || !fresh.valid || secret === undefined) return 'idle';
    // The batch's attempts and its cursor are written once, after its POSTs (or when one fails):
    // a crash in between sends those events again, which at-least-once allows.
    const batch = await events.eventsAfter(fresh.cursor, BATCH);
    const items = await this.outgoing(w.id, batch);
    const to = items.length === 0 ? null : await this.destination(fresh, secret);
    const made: AttemptRow[] = [];
    const sent = await sendInLanes(items, LANES, async () => !this.stopped && lease.renew(), async (o) => {
      const a = await this.attempt(to!, o.kind, o.seq, o.body);
      made.push(a);
      return succeeded(a);
    });
    // The cursor stops before the first event not wholly delivered; events after it that other
    // lanes delivered are sent again with it (in their lane's order).
    const done = sent.undone === null ? batch : batch.filter((e) => e.seq < sent.undone!);
    const cursor = done.at(-1)?.seq ?? fresh.cursor;
    await hooks.recordDelivery(w.id, made, cursor > fresh.cursor ? cursor : null);
    if (sent.error) throw sent.error;
    if (sent.outcome !== 'delivered') return sent.outcome;
    if (batch.length === BATCH) return 'more';
    for (const job of replays) {
      if (!await this.replay(fresh, secret, job, lease)) return 'failed';
    }
    this.backoff.delete(w.id);
    return 'idle';
  }

  /** What each event of a batch makes for the webhook, event by event, kinds in their order. */
  private async outgoing(webhookId: bigint, events: readonly StoredEvent[]): Promise<Outgoing[]> {
    if (events.length === 0) return [];
    const kinds = [...this.kinds.values()];
    const perKind = await Promise.all(kinds.map((k) => k.bodiesFor(webhookId, events)));
    const out: Outgoing[] = [];
    events.forEach((event, i) => {
      kinds.forEach((k, j) => {
        for (const b of perKind[j]![i] ?? []) out.push({ seq: event.seq, kind: k.name, body: toJson(b.body as Json), lane: `${k.name}:${b.lane}` });
      });
    });
    return out;
  }

  /** Sends one replay job's window again, then X's job-completed message. */
  private async replay(w: WebhookRow, secret: string, job: ReplayRow, lease: Lease): Promise<boolean> {
    const { hooks, events } = this.deps;
    const to = await this.destination(w, secret);
    let cursor = job.cursor;
    for (;;) {
      const batch = await events.eventsBetween(job.fromMs, job.toMs, cursor, BATCH);
      if (batch.length === 0) break;
      // A replay goes out one body at a time, in event order.
      const items = await this.outgoing(w.id, batch);
      let next = 0; // items come in event order
      for (const event of batch) {
        for (; next < items.length && items[next]!.seq === event.seq; next++) {
          if (this.stopped || !await lease.renew()) return true;
          await hooks.advanceReplay(job.id, cursor);
          if (!await this.send(to, items[next]!.kind, event.seq, items[next]!.body)) return false;
        }
        cursor = event.seq;
      }
      await hooks.advanceReplay(job.id, cursor);
    }
    const done = toJson({ replay_job_status: { webhook_id: w.id.toString(), job_state: 'Complete', job_state_description: 'Job completed successfully', job_id: job.id.toString() } });
    if (!await this.send(to, 'replay', cursor, done)) return false;
    await hooks.deleteReplay(job.id);
    return true;
  }

  private async send(to: Destination, kind: string, seq: bigint, body: string): Promise<boolean> {
    return succeeded(await this.post(to, kind, seq, body));
  }

  /** One POST, recorded on its own. */
  private async post(to: Destination, kind: string, seq: bigint, body: string): Promise<AttemptRow> {
    const a = await this.attempt(to, kind, seq, body);
    await this.deps.hooks.recordDelivery(to.w.id, [a], null);
    return a;
  }

  private async destination(w: WebhookRow, secret: string): Promise<Destination> {
    try {
      return { w, secret, target: await resolveTarget(w.url, this.deps.policy), refused: null };
    } catch (err) {
      if (!(err instanceof WebhookUrlError)) throw err;
      return { w, secret, target: null, refused: err.message };
    }
  }

  /** One POST, signed; its attempt row (not yet recorded), shown to the watchers at once. */
  private async attempt(to: Destination, kind: string, seq: bigint, body: string): Promise<AttemptRow> {
    const at = Date.now();
    let result: CallResult;
    if (this.failing.count > 0) {
      this.failing.count--;
      result = { status: this.failing.status, ms: 0, error: 'failed on purpose (fail-next)', text: '' };
    } else if (to.target === null) {
      result = { status: null, ms: 0, error: to.refused, text: '' };
    } else {
      const headers = { [SIGNATURE_HEADER]: signature(to.secret, body) };
      result = await call(to.target, { method: 'POST', body, headers, timeoutMs: this.deps.settings.timeoutMs, keepAlive: true });
    }
    if (result.error === null && !(result.status !== null && result.status >= 200 && result.status < 300)) result.error = `HTTP ${result.status}`;
    const attempt: AttemptRow = {
      webhookId: to.w.id, eventSeq: seq, kind, at, status: result.status, ms: result.ms, error: result.error,
      answer: result.text.slice(0, EXCERPT), body,
    };
    for (const watch of this.watchers) watch(attempt);
    return attempt;
  }
}

const succeeded = (a: AttemptRow) => a.status !== null && a.status >= 200 && a.status < 300;

/** A webhook's delivery lease, renewed once a third of it has passed. */
class Lease {
  private renewedAt = 0;
  constructor(private readonly hooks: WebhookStore, private readonly id: bigint, private readonly owner: string, private readonly ms: number) {}

  async renew(): Promise<boolean> {
    const now = Date.now();
    if (now - this.renewedAt < this.ms / 3) return true;
    const held = await this.hooks.lease(this.id, this.owner, now, now + this.ms);
    if (held) this.renewedAt = now;
    return held;
  }

  release(): Promise<void> {
    return this.hooks.releaseLease(this.id, this.owner);
  }
}
