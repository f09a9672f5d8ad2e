// Gauges of what roost depends on beside its primary database: each read replica (in rotation,
// lag, reads answered) and the Redis link (up, operations answered in memory instead). Read
// when /metrics is scraped, from the live objects, so nothing on the request path counts twice.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Services } from '../services.js';

export function watchSharedState(registry: Registry, services: () => Services | null): void {
  const replicas = () => services()?.replicas?.replicas ?? [];
  new Gauge({
    name: 'roost_db_replica_up', help: 'Whether a read replica is in rotation (1) or out of it, lagging or down (0); the status label says which',
    labelNames: ['replica', 'status'] as const, registers: [registry],
    collect() {
      this.reset();
      for (const r of replicas()) this.set({ replica: r.name, status: r.status }, r.inRotation ? 1 : 0);
    },
  });
  new Gauge({
    name: 'roost_db_replica_lag_seconds', help: 'How far a read replica\'s replay is behind the primary\'s WAL, as last probed',
    labelNames: ['replica'] as const, registers: [registry],
    collect() {
      this.reset();
      for (const r of replicas()) this.set({ replica: r.name }, r.lagMs / 1000);
    },
  });
  new Counter({
    name: 'roost_db_replica_reads_total', help: 'Store reads a replica answered',
    labelNames: ['replica'] as const, registers: [registry],
    collect() {
      this.reset();
      for (const r of replicas()) this.inc({ replica: r.name }, r.reads);
    },
  });
  new Counter({
    name: 'roost_db_primary_reads_total', help: 'API reads that went to the primary although replicas are configured, by reason',
    labelNames: ['reason'] as const, registers: [registry],
    collect() {
      this.reset();
      const set = services()?.replicas;
      if (set) for (const [reason, n] of Object.entries(set.primaryReads)) this.inc({ reason }, n);
    },
  });
  new Gauge({
    name: 'roost_redis_up', help: 'Whether Redis answers (1) or shared state falls back to this process\'s memory (0); absent without REDIS_URL',
    registers: [registry],
    collect() {
      this.reset();
      const redis = services()?.redis;
      if (redis) this.set(redis.available ? 1 : 0);
    },
  });
  new Counter({
    name: 'roost_redis_fallbacks_total', help: 'Shared-state operations answered from this process\'s memory because Redis was down',
    registers: [registry],
    collect() {
      this.reset();
      const redis = services()?.redis;
      if (redis) this.inc(redis.fallbacks);
    },
  });
}
