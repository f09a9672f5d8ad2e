// Rate-limit windows and follow quotas of `serve --workers N` without Redis: every worker counts
// into the primary's one memory store (shared-state/primary-link.ts), so a 15-call window is 15
// calls whichever worker serves them.
import type { PrimaryLink, StateHandlers } from '../shared-state/primary-link.js';
import type { WindowState, WindowStore } from './window-store.js';

export class PrimaryWindowStore implements WindowStore {
  constructor(private readonly link: PrimaryLink) {}

  hit(key: string, windowMs: number, now: number): Promise<WindowState> {
    return this.link.call('window.hit', [key, windowMs, now]);
  }

  peek(key: string, now: number): Promise<WindowState | null> {
    return this.link.call('window.peek', [key, now]);
  }
}

/** The primary's side: the calls above, answered from `store`. */
export function windowHandlers(store: WindowStore): StateHandlers {
  return {
    'window.hit': (key: string, windowMs: number, now: number) => store.hit(key, windowMs, now),
    'window.peek': (key: string, now: number) => store.peek(key, now),
  };
}
