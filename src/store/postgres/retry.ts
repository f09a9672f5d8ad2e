// Which transaction failures are a concurrent transaction's fault (replay the work, it will
// likely pass) rather than the work's own (surface it).
const DEADLOCK_DETECTED = '40P01';
const UNIQUE_VIOLATION = '23505';

export function isRetryable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, constraint } = err as { code?: unknown; constraint?: unknown };
  // Writes lock users and pairs in a fixed order; only a lock upgrade can close a cycle.
  if (code === DEADLOCK_DETECTED) return true;
  // Two transactions adding the same edge: the loser sees the winner's row on replay. A duplicate
  // user or token, by contrast, is the caller's mistake and fails at once.
  return code === UNIQUE_VIOLATION && typeof constraint === 'string' && constraint.startsWith('edges_');
}

/** Exponential backoff with full jitter, so replays of colliding transactions spread apart. */
export function backoffMs(attempt: number): number {
  return 1 + Math.random() * Math.min(100, 2 ** (attempt + 1));
}
