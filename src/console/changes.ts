// What changed, for the pages open on it (GET /_roost/changes, server-sent events): `graph` (a
// commit that recorded events, or a console write to users), `usage` (requests counted), `faults`
// (a rule added, removed or hit), `clock` (set, advanced, switched) and `state` (a reset, fixture
// or snapshot restore). Each page re-fetches only its own data on the kinds it shows.
// Coalesced: a kind goes out at most once per GAP_MS. The sources are watched only while a page
// is connected; with none, nothing listens, and a model's emit costs one size check.
import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../emulator/emulator.js';
import type { Services } from '../services.js';
import { guardedRoute, type ConsoleContext } from './router.js';
import { SseStreams, type SseStream } from './sse.js';
import type { UsageCounter } from './usage.js';

export type ChangeKind = 'graph' | 'usage' | 'faults' | 'clock' | 'state';

/** The least time between two messages of a kind: usage moves with every request, so less often. */
const GAP_MS: Readonly<Record<ChangeKind, number>> = { graph: 250, usage: 1000, faults: 250, clock: 250, state: 250 };

export class ConsoleChanges {
  private readonly clients = new Set<SseStream>();
  private readonly pending = new Set<ChangeKind>();
  private readonly sentAt = new Map<ChangeKind, number>();
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity;
  private unwatch: (() => void)[] = [];
  private unfollow: (() => void) | null = null;

  constructor(private readonly o: { services: Services; emulator: Emulator | null; usage: UsageCounter }) {}

  /** Says `kind` changed to the pages connected (none: nothing to do). */
  mark(kind: ChangeKind): void {
    if (this.clients.size === 0 || this.pending.has(kind)) return;
    this.pending.add(kind);
    this.schedule();
  }

  connect(client: SseStream): () => void {
    this.clients.add(client);
    if (this.clients.size === 1) this.watch();
    return () => {
      if (!this.clients.delete(client) || this.clients.size > 0) return;
      for (const off of this.unwatch) off();
      this.unwatch = [];
      this.unfollow?.();
      this.unfollow = null;
      this.pending.clear();
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
    };
  }

  private watch(): void {
    const { usage, emulator } = this.o;
    this.unwatch.push(usage.changed.on(() => this.mark('usage')));
    if (emulator) {
      this.unwatch.push(emulator.clock.changed.on(() => this.mark('clock')), emulator.faultsChanged.on(() => this.mark('faults')),
        emulator.stateChanged.on(() => {
          this.followCommits(); // the services, and their feed, are new
          this.mark('state');
        }));
    }
    this.followCommits();
  }

  private followCommits(): void {
    this.unfollow?.();
    this.unfollow = this.o.services.events.feed.onCommitted(() => this.mark('graph'));
  }

  /** A timer for the pending kind that may go first: at once (a tick later, so a burst is one) or when its gap ends. */
  private schedule(): void {
    let due = Infinity;
    for (const k of this.pending) due = Math.min(due, (this.sentAt.get(k) ?? 0) + GAP_MS[k]);
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => this.flush(), Math.max(0, due - Date.now()));
  }

  private flush(): void {
    this.timer = null;
    const now = Date.now();
    for (const k of [...this.pending]) {
      if ((this.sentAt.get(k) ?? 0) + GAP_MS[k] > now) continue;
      this.pending.delete(k);
      this.sentAt.set(k, now);
      for (const c of this.clients) c.send(k, '{}');
    }
    if (this.pending.size > 0) this.schedule();
  }
}

export function registerChanges(app: FastifyInstance, ctx: ConsoleContext): void {
  const streams = new SseStreams(app);
  guardedRoute(app, ctx, 'GET', 'changes', async (req, reply) => {
    let disconnect = () => {};
    const stream = streams.start(req, reply, () => disconnect());
    stream.comment('open');
    disconnect = ctx.changes.connect(stream);
  });
}
