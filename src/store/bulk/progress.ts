// How a bulk load reports how far it is: the port's side. The bar on stderr is the caller's
// (src/bulk/progress.ts); a writer only says what it is doing and how much of it is done.

export interface Progress {
  start(label: string, total: number): void;
  tick(n: number): void;
  stop(): void;
}

export const SILENT: Progress = { start() {}, tick() {}, stop() {} };

/** One piece of work shown as a one-step bar: the label while it runs, done when it ends. */
export async function step<T>(progress: Progress, label: string, work: () => T | Promise<T>): Promise<T> {
  progress.start(label, 1);
  const result = await work();
  progress.tick(1);
  progress.stop();
  return result;
}
