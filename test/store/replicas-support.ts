// Starting `bin/roost serve` on a primary with replicas, and reading what it reports about them.
import type { Served } from '../support/serve-process.js';

interface Ready { status: number; body: { replicas?: Record<string, { status: string; lag_ms: number }> } }

export async function readyOf(p: Served): Promise<Ready> {
  const res = await fetch(`${p.base}/health/ready`);
  return { status: res.status, body: (await res.json()) as Ready['body'] };
}

/** The sum of a metric's samples (one replica here), from GET /metrics. */
export async function metricValue(p: Served, name: string, label = ''): Promise<number> {
  const text = await (await fetch(`${p.base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (m && (m[1] ?? '').includes(label)) sum += Number(m[2]);
  }
  return sum;
}
