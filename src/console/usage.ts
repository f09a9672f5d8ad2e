// Requests per endpoint, caller and app, in time buckets: what the Usage page charts and prices.
import type { Json } from '../wire/json.js';

export interface UsageRow {
  at: string;
  /** `METHOD /route` */
  route: string;
  caller: string | null;
  app: string | null;
  status: number;
}

function countBy(rows: readonly UsageRow[], key: (r: UsageRow) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1;
  return out;
}

export function usageOf(rows: readonly UsageRow[], bucketMs: number): Json {
  const buckets = new Map<number, Record<string, number>>();
  for (const r of rows) {
    const t = Math.floor(Date.parse(r.at) / bucketMs) * bucketMs;
    const b = buckets.get(t) ?? {};
    b[r.route] = (b[r.route] ?? 0) + 1;
    buckets.set(t, b);
  }
  return {
    total: rows.length,
    bucket_ms: bucketMs,
    by_endpoint: countBy(rows, (r) => r.route),
    by_caller: countBy(rows, (r) => r.caller ?? '(none)'),
    by_app: countBy(rows, (r) => r.app ?? '(none)'),
    by_status: countBy(rows, (r) => String(r.status)),
    over_time: [...buckets].sort((a, b) => a[0] - b[0]).map(([t, counts]) => ({ at: new Date(t).toISOString(), counts })),
  };
}
