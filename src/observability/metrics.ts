// What roost counts for Prometheus. One registry per server, so servers started side by side in
// one process (the tests do) never mix their figures.
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { Services } from '../services.js';
import { FastCounter, FastHistogram } from './series.js';
import { watchSharedState } from './shared-state-metrics.js';

/** Graph writes counted when their transaction commits. */
export type GraphAction = 'follow' | 'unfollow' | 'block' | 'unblock' | 'mute' | 'unmute';

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests = new FastCounter('roost_http_requests_total', 'Requests answered, by method, route template and status', this.registry);
  private readonly latency = new FastHistogram('roost_http_request_duration_seconds', 'Time from a request arriving to its answer being sent',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], this.registry);
  private readonly rateLimited = new Counter({
    name: 'roost_rate_limit_rejections_total', help: 'Requests refused with 429 by a rate limit, by route template',
    labelNames: ['route'] as const, registers: [this.registry],
  });
  private readonly authFailures = new Counter({
    name: 'roost_auth_failures_total', help: 'Requests whose credentials were refused, by reason',
    labelNames: ['reason'] as const, registers: [this.registry],
  });
  private readonly dbTime = new FastHistogram('roost_db_query_duration_seconds', 'Time spent in the database, by store operation',
    [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1], this.registry);
  private readonly graphWrites = new Counter({
    name: 'roost_graph_writes_total', help: 'Committed graph writes, by action',
    labelNames: ['action'] as const, registers: [this.registry],
  });

  /** what the replica and Redis gauges read; replaced when the emulator rebuilds its services */
  private services: Services | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    watchSharedState(this.registry, () => this.services);
  }

  /** Reports the replicas and the Redis link of these services from now on. */
  watch(services: Services): void {
    this.services = services;
  }

  request(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    const labels = () => ({ method, route, status: String(status) });
    this.requests.series(key, labels).inc();
    this.latency.series(key, labels).observe(seconds);
    if (status === 429) this.rateLimited.inc({ route });
  }

  authFailure(reason: string): void {
    this.authFailures.inc({ reason });
  }

  query(kind: string, seconds: number): void {
    this.dbTime.series(kind, () => ({ kind })).observe(seconds);
  }

  graphWrite(action: GraphAction): void {
    this.graphWrites.inc({ action });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
