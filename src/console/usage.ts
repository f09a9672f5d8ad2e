// Requests per endpoint, caller and app in minute buckets, counted as each request completes,
// whether or not anyone has the console open: what the Usage page charts and prices. Bounded:
// the last 24 hours of minutes, at most MAX_KEYS distinct (endpoint, caller, app) and MAX_CELLS
// (minute, key) counts; past a bound, requests still count, under "(other)".
import { Signal } from '../signal.js';
import type { Json } from '../wire/json.js';

const MINUTE_MS = 60_000;
/** minutes kept: a ring of slots, one per minute of the last 24 hours */
const SLOTS = 24 * 60;
export const MAX_KEYS = 1000;
const MAX_CELLS = 100_000;
const OTHER = '(other)';
const NONE = '(none)';

export type Dimension = 'endpoint' | 'caller' | 'app';
export const DIMENSIONS: readonly Dimension[] = ['endpoint', 'caller', 'app'];

interface Key { endpoint: string; caller: string; app: string }

/** route -> method -> app -> caller -> key id: lookups on strings the request already has. */
type Tree = Map<string, Map<string, Map<string | null, Map<string | null, number>>>>;

function child<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

export class UsageCounter {
  private tree: Tree = new Map();
  /** key id 0 is where requests past MAX_KEYS or MAX_CELLS count */
  private keys: Key[] = [{ endpoint: OTHER, caller: OTHER, app: OTHER }];
  private readonly minutes = new Float64Array(SLOTS).fill(-1);
  private readonly counts: Map<number, number>[] = Array.from({ length: SLOTS }, () => new Map());
  private cells = 0;
  /** emitted after each request counted, and after the counts are emptied */
  readonly changed = new Signal();

  record(method: string, route: string, caller: string | null, app: string | null, nowMs: number): void {
    const id = this.keyOf(method, route, caller, app);
    const minute = Math.floor(nowMs / MINUTE_MS);
    const slot = minute % SLOTS;
    const m = this.counts[slot]!;
    if (this.minutes[slot] !== minute) {
      this.cells -= m.size;
      m.clear();
      this.minutes[slot] = minute;
    }
    const n = m.get(id);
    if (n !== undefined) m.set(id, n + 1);
    else if (this.cells < MAX_CELLS) {
      m.set(id, 1);
      this.cells++;
    } else m.set(0, (m.get(0) ?? 0) + 1);
    this.changed.emit();
  }

  private keyOf(method: string, route: string, caller: string | null, app: string | null): number {
    const callers = child(child(child(this.tree, route, () => new Map()), method, () => new Map()), app, () => new Map());
    const id = callers.get(caller);
    if (id !== undefined) return id;
    if (this.keys.length > MAX_KEYS) return 0;
    // Once per distinct key, never per request: the endpoint's name is built here.
    this.keys.push({ endpoint: `${method} ${route}`, caller: caller ?? NONE, app: app ?? NONE });
    callers.set(caller, this.keys.length - 1);
    return this.keys.length - 1;
  }

  clear(): void {
    this.tree = new Map();
    this.keys = this.keys.slice(0, 1);
    this.minutes.fill(-1);
    for (const m of this.counts) m.clear();
    this.cells = 0;
    this.changed.emit();
  }

  /**
   * The last 24 hours (to `nowMs`) in buckets of `bucketMs` (a whole number of minutes): totals
   * per endpoint, caller and app, and the `top` series of one dimension over time, the rest
   * summed as "(other)". Buckets run from the first with a request to the current one.
   */
  query(nowMs: number, bucketMs: number, by: Dimension, top: number): Json {
    const nowMinute = Math.floor(nowMs / MINUTE_MS);
    const bucketOf = (minute: number) => Math.floor((minute * MINUTE_MS) / bucketMs) * bucketMs;
    const totals: Record<Dimension, Map<string, number>> = { endpoint: new Map(), caller: new Map(), app: new Map() };
    const perBucket = new Map<number, Map<string, number>>();
    let total = 0;
    let first = bucketOf(nowMinute);
    for (let slot = 0; slot < SLOTS; slot++) {
      const minute = this.minutes[slot]!;
      if (minute < 0 || minute > nowMinute || minute <= nowMinute - SLOTS) continue;
      const at = bucketOf(minute);
      first = Math.min(first, at);
      const bucket = child(perBucket, at, () => new Map<string, number>());
      for (const [id, n] of this.counts[slot]!) {
        const key = this.keys[id]!;
        total += n;
        for (const d of DIMENSIONS) totals[d].set(key[d], (totals[d].get(key[d]) ?? 0) + n);
        bucket.set(key[by], (bucket.get(key[by]) ?? 0) + n);
      }
    }
    // The overflow key, and every name past the top, are drawn as one "(other)" series.
    const ranked = [...totals[by]].filter(([name]) => name !== OTHER).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const shown = new Set(ranked.slice(0, top).map(([name]) => name));
    const buckets: number[] = [];
    for (let at = first; at <= bucketOf(nowMinute); at += bucketMs) buckets.push(at);
    const countsOf = (name: string) => buckets.map((at) => {
      const b = perBucket.get(at);
      if (!b) return 0;
      if (name !== OTHER) return b.get(name) ?? 0;
      let n = 0;
      for (const [k, c] of b) if (!shown.has(k)) n += c;
      return n;
    });
    const series = [...shown, OTHER].map((name) => {
      const counts = countsOf(name);
      return { name, total: counts.reduce((a, c) => a + c, 0), counts };
    }).filter((x) => x.name !== OTHER || x.total > 0);
    const record = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]));
    return {
      now: new Date(nowMs).toISOString(),
      bucket_ms: bucketMs,
      window_ms: SLOTS * MINUTE_MS,
      total,
      by_endpoint: record(totals.endpoint),
      by_caller: record(totals.caller),
      by_app: record(totals.app),
      dimension: by,
      buckets: buckets.map((at) => new Date(at).toISOString()),
      series,
      keys: this.keys.length - 1,
      max_keys: MAX_KEYS,
    };
  }
}
