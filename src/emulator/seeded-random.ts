// The emulator's one source of chance: a seeded xoroshiro128+ (pure-rand), so the same seed draws
// the same tokens and the same fault coin flips on every run.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class SeededRandom {
  private readonly rng: JumpableRandomGenerator;

  /** `stream` separates independent uses of one seed (tokens, faults), so one cannot shift the other. */
  constructor(readonly seed: number, stream = 0) {
    this.rng = xoroshiro128plus(seed);
    for (let i = 0; i < stream; i++) this.rng.jump();
  }

  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  /** A float in [0, 1). */
  float(): number {
    return uniformFloat64(this.rng);
  }

  /** [A-Za-z0-9] text, the alphabet of roost's own tokens. */
  token(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += ALPHABET[this.int(0, 61)];
    return out;
  }
}
