// A seeded random source: the same seed gives the same graph on every machine.
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

const TWO_32 = 4294967296;

export class SeededRandom {
  private readonly gen;

  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
    // Nearby seeds start from nearby states; the first outputs are discarded until they diverge.
    for (let i = 0; i < 64; i++) this.gen.next();
  }

  /** Uniform in [0, 1). */
  float(): number {
    return (this.gen.next() >>> 0) / TWO_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}
