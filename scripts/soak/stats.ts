// What the soak measures per interval, and the verdicts drawn from it at the end.
import { readdirSync, readFileSync } from 'node:fs';

export interface Interval {
  /** seconds since the traffic started, at the end of the interval */
  at: number;
  requests: number;
  seconds: number;
  latencies: number[];
  statuses: Map<string, number>;
  rssMb: number | null;
  fds: number | null;
}

export const newInterval = (): Interval =>
  ({ at: 0, requests: 0, seconds: 0, latencies: [], statuses: new Map(), rssMb: null, fds: null });

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Resident memory (MB) and open file descriptors of a process, from /proc; null where unreadable. */
export function sampleProcess(pid: number): { rssMb: number | null; fds: number | null } {
  let rssMb: number | null = null;
  let fds: number | null = null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) rssMb = Number(m[1]) / 1024;
  } catch { /* not Linux, or the process is gone */ }
  try {
    fds = readdirSync(`/proc/${pid}/fd`).length;
  } catch { /* likewise */ }
  return { rssMb, fds };
}

const median = (xs: readonly number[]): number => percentile([...xs].sort((a, b) => a - b), 50);

export interface GrowthVerdict {
  checked: boolean;
  grew: boolean;
  middle: number;
  last: number;
  detail: string;
}

/**
 * Unbounded growth: the median of the last third of the samples above the median of the
 * middle third by more than `pct` percent and `floor` units. The first third is warm-up
 * (JIT, caches, SQLite page cache) and is not judged. Fewer than 6 samples: not judged.
 */
export function growth(samples: readonly number[], pct: number, floor: number, unit: string): GrowthVerdict {
  if (samples.length < 6) return { checked: false, grew: false, middle: 0, last: 0, detail: `too few samples (${samples.length}) to judge growth` };
  const third = Math.floor(samples.length / 3);
  const middle = median(samples.slice(third, 2 * third));
  const last = median(samples.slice(2 * third));
  const grew = last > middle * (1 + pct / 100) && last - middle > floor;
  return {
    checked: true, grew, middle, last,
    detail: `median of the middle third ${middle.toFixed(1)} ${unit}, of the last third ${last.toFixed(1)} ${unit} (limit +${pct}% and +${floor} ${unit})`,
  };
}
