// The emulator's clock: frozen (moves only when told) or real (the wall clock plus whatever the
// test has set or advanced). Everything roost stamps or counts reads it; OAuth timestamp checks
// keep the wall clock, because clients sign with theirs.
import type { Clock } from '../clock.js';
import { Signal } from '../signal.js';

export type ClockMode = 'frozen' | 'real';

/** Where a frozen clock starts, whatever the seed: a fixed instant, so timestamps repeat. */
export const FROZEN_START_MS = Date.UTC(2025, 0, 1, 0, 0, 0);

export class ClockError extends Error {}

export class ControlledClock implements Clock {
  private frozenAt = FROZEN_START_MS;
  private offset = 0;
  private current: ClockMode;
  /** emitted after the clock is set, advanced, switched or restarted (not as it runs) */
  readonly changed = new Signal();

  constructor(private readonly startMode: ClockMode, private readonly wall: () => number = Date.now) {
    this.current = startMode;
  }

  get mode(): ClockMode {
    return this.current;
  }

  /** Stops the clock where it is (frozen), or lets it run on from there (real). */
  setMode(mode: ClockMode): void {
    const now = this.now();
    this.current = mode;
    this.set(now);
  }

  now(): number {
    return this.mode === 'frozen' ? this.frozenAt : this.wall() + this.offset;
  }

  set(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new ClockError('time must be a non-negative whole number of ms since 1970');
    if (this.mode === 'frozen') this.frozenAt = ms;
    else this.offset = ms - this.wall();
    this.changed.emit();
  }

  advance(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new ClockError('advance must be a non-negative whole number of ms');
    this.set(this.now() + ms);
  }

  /** Back to where a fresh emulator starts. */
  restart(): void {
    this.current = this.startMode;
    this.frozenAt = FROZEN_START_MS;
    this.offset = 0;
    this.changed.emit();
  }
}
