// Sign-in attempts on roost's pages, counted per account and per network address in fixed
// 15-minute windows (memory, or Redis when configured, so every process counts alike). An
// attempt over either budget is refused before any password is hashed. The budgets bound online
// guessing: 10 attempts per account every 15 minutes is about 1,000 guesses a day, against an
// address's 50, whatever the number of processes.
import type { Clock } from '../clock.js';
import type { WindowStore } from './window-store.js';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const ATTEMPTS_PER_ACCOUNT = 10;
export const ATTEMPTS_PER_ADDRESS = 50;

export type SignInVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class SignInThrottle {
  constructor(private readonly windows: WindowStore, private readonly clock: Clock, private readonly enabled: boolean) {}

  /** Counts one attempt for the screen name (any, known or not) and the address. */
  async attempt(screenName: string, address: string): Promise<SignInVerdict> {
    if (!this.enabled) return { allowed: true };
    const now = this.clock.now();
    const [account, from] = await Promise.all([
      this.windows.hit(`sign-in:account:${screenName.toLowerCase()}`, SIGN_IN_WINDOW_MS, now),
      this.windows.hit(`sign-in:address:${address}`, SIGN_IN_WINDOW_MS, now),
    ]);
    const over = [account.count > ATTEMPTS_PER_ACCOUNT ? account.resetAt : 0, from.count > ATTEMPTS_PER_ADDRESS ? from.resetAt : 0];
    const until = Math.max(...over);
    return until === 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
  }
}
