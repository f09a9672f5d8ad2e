// Counters and histograms for the per-request path. prom-client hashes the label object on every
// inc() and observe(), labelled children included: several microseconds a request, paid five
// times by a signed read (its latency and each store call). Here a caller looks its series up
// once by a key it already has and adds to plain numbers; the registry reads them at a scrape
// through prom-client's metric interface (get()), in the same text format.
import type { Metric, Registry } from 'prom-client';

type Labels = Record<string, string>;

export class HistogramSeries {
  readonly buckets: Float64Array;
  sum = 0;
  count = 0;
  constructor(readonly labels: Labels, private readonly bounds: readonly number[]) {
    this.buckets = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const b = this.bounds;
    for (let i = 0; i < b.length; i++) {
      if (value <= b[i]!) { this.buckets[i]!++; break; }
    }
    this.sum += value;
    this.count++;
  }
}

export class CounterSeries {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(): void { this.value++; }
}

abstract class Family<S> {
  readonly aggregator = 'sum';
  protected readonly all = new Map<string, S>();
  constructor(readonly name: string, readonly help: string, registry: Registry) {
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series named `key`; `labels` is called only the first time. */
  series(key: string, labels: () => Labels): S {
    let s = this.all.get(key);
    if (!s) this.all.set(key, (s = this.make(labels())));
    return s;
  }

  protected abstract make(labels: Labels): S;
  reset(): void { this.all.clear(); }
}

export class FastHistogram extends Family<HistogramSeries> {
  readonly type = 'histogram';
  constructor(name: string, help: string, private readonly bounds: readonly number[], registry: Registry) {
    super(name, help, registry);
  }

  protected make(labels: Labels): HistogramSeries { return new HistogramSeries(labels, this.bounds); }

  get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const s of this.all.values()) {
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += s.buckets[i]!;
        values.push({ labels: { ...s.labels, le }, value: acc, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

export class FastCounter extends Family<CounterSeries> {
  readonly type = 'counter';
  protected make(labels: Labels): CounterSeries { return new CounterSeries(labels); }

  get() {
    const values = [...this.all.values()].map((s) => ({ labels: s.labels, value: s.value }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
