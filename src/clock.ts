/** Time as roost sees it; one object so tests and emulator mode can control it. */
export interface Clock {
  now(): number; // ms since epoch
}

export const systemClock: Clock = { now: () => Date.now() };
