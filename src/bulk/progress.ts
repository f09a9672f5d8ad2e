// Progress on stderr (label, bar, rate, ETA), silent when stderr is not a terminal or when asked.
import { Presets, SingleBar } from 'cli-progress';
import { SILENT, type Progress } from '../store/bulk/progress.js';

const FLUSH_EVERY = 1 << 16;

class BarProgress implements Progress {
  private bar: SingleBar | null = null;
  private value = 0;
  private pending = 0;
  private startedAt = 0;

  start(label: string, total: number): void {
    this.stop();
    this.bar = new SingleBar({
      // An unknown total (lines of a stream) shows the count and rate only.
      format: total > 0
        ? `${label.padEnd(12)} {bar} {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`
        : `${label.padEnd(12)} {value} | {rate}/s`,
      stream: process.stderr, hideCursor: true, etaBuffer: 50, fps: 5,
    }, Presets.shades_classic);
    this.value = 0;
    this.pending = 0;
    this.startedAt = performance.now();
    this.bar.start(total, 0, { rate: 0 });
  }

  tick(n: number): void {
    this.pending += n;
    if (this.pending >= FLUSH_EVERY) this.flush();
  }

  stop(): void {
    if (!this.bar) return;
    this.flush();
    this.bar.stop();
    this.bar = null;
  }

  private flush(): void {
    this.value += this.pending;
    this.pending = 0;
    const seconds = (performance.now() - this.startedAt) / 1000;
    this.bar?.update(this.value, { rate: seconds > 0 ? Math.round(this.value / seconds) : 0 });
  }
}

export function progressFor(quiet: boolean): Progress {
  return quiet || !process.stderr.isTTY ? SILENT : new BarProgress();
}
