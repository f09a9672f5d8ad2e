// Heavy-tailed degrees: how many accounts each user follows, and whom.
import type { SeededRandom } from './random.js';

/**
 * Out-degrees summing to exactly `total`, each at most `cap`: Pareto weights (alpha 1.5) bounded
 * at 10 x sqrt(users) and shifted down by 0.5, so the least active follow about 20 % of the mean,
 * the median about 40 %, and a few thousands of times the mean.
 */
export function outDegrees(rnd: SeededRandom, users: number, total: number, cap: number): Int32Array {
  const weights = new Float64Array(users);
  let sum = 0;
  const bound = 10 * Math.sqrt(users);
  for (let i = 0; i < users; i++) sum += weights[i] = Math.min((1 - rnd.float()) ** (-1 / 1.5), bound) - 0.5;
  const degrees = new Int32Array(users);
  // Rounding the running total keeps the sum exact.
  let acc = 0;
  let given = 0;
  let spill = 0;
  for (let i = 0; i < users; i++) {
    acc += (weights[i]! / sum) * total;
    const d = Math.round(acc) - given;
    given += d;
    degrees[i] = Math.min(d, cap);
    spill += d - degrees[i]!;
  }
  // What the cap cut off goes to everyone with room, round-robin from a seeded start.
  for (let i = rnd.int(users); spill > 0; i = (i + 1) % users) {
    if (degrees[i]! < cap) {
      degrees[i]!++;
      spill--;
    }
  }
  return degrees;
}

/**
 * Popularity ranks 0..n-1 drawn with P(r) proportional to 1/(r + q): the continuous Zipf
 * (s = 1) inverted in closed form, so each draw is O(1).
 */
export class ZipfRanks {
  private readonly ratio: number;

  constructor(private readonly n: number, private readonly q = 8) {
    this.ratio = (n + q) / q;
  }

  draw(rnd: SeededRandom): number {
    const r = Math.floor(this.q * this.ratio ** rnd.float() - this.q);
    return r < this.n ? r : this.n - 1;
  }
}
