// What the bulk commands share: opening the bulk port, progress, and the --json summary.
import { defaultDb } from '../config.js';
import type { BulkTarget } from '../store/bulk/bulk-target.js';
import { openTarget } from '../store/bulk/open-target.js';
import type { Progress } from '../store/bulk/progress.js';
import { CliError } from './output.js';

export interface BulkFlags {
  db?: string;
  quiet?: boolean;
  json?: boolean;
}

export async function withTarget<T>(opts: BulkFlags, work: (t: BulkTarget, progress: Progress) => Promise<T>): Promise<T> {
  const target = await openTarget(opts.db ?? defaultDb());
  try {
    const { progressFor } = await import('../bulk/progress.js');
    return await work(target, progressFor(Boolean(opts.quiet || opts.json)));
  } finally {
    await target.close();
  }
}

/** A whole non-negative number from a flag, or a one-line error naming the flag. */
export function count(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new CliError(`${flag} must be a whole number`);
    return n;
  };
}

export interface LoadFigures {
  users: number;
  follows: number;
  seconds: number;
  edges_per_second: number;
  total_follows: number;
  disk_bytes: number;
  bytes_per_edge: number;
}

/** Rates over the whole command; bytes per edge over every follow stored (the file holds users too). */
export async function figures(target: BulkTarget, users: number, follows: number, startedAt: number): Promise<LoadFigures> {
  const seconds = (performance.now() - startedAt) / 1000;
  const total = await target.countFollows();
  const bytes = await target.diskBytes();
  return {
    users, follows, seconds: Math.round(seconds * 100) / 100,
    edges_per_second: Math.round(follows / seconds), total_follows: total,
    disk_bytes: bytes, bytes_per_edge: total > 0 ? Math.round((bytes / total) * 10) / 10 : 0,
  };
}
