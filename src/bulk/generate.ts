// A power-law follow graph: a few celebrities followed by most users, a Zipf-popular middle,
// a long tail; out-degrees heavy-tailed too. Deterministic: the same options give the same graph.
import type { NewUser } from '../store/types.js';
import { snowflakeAt } from '../graph/snowflake.js';
import { newEdgeList, NO_RETWEETS, NOTIFY, type EdgeList } from '../store/bulk/edge-list.js';
import { outDegrees, ZipfRanks } from './power-law.js';
import { ProfileMaker } from './profiles.js';
import { SeededRandom } from './random.js';
import type { Progress } from '../store/bulk/progress.js';

export class GenerateOptionsError extends Error {}

export interface GenerateOptions {
  users: number;
  follows: number;
  seed: number;
  celebrities: number;
  /** accounts are created evenly between these instants (ms), ids minted at those times */
  from: number;
  to: number;
}

export interface GeneratedGraph {
  edges: EdgeList;
  /** the profile of user i, made on demand so a million profiles need not sit in memory */
  profiles(taken: Set<string>): Generator<NewUser>;
  celebrities: number[];
}

/** Share of users that follow celebrity k: 90 %, 77 %, 65 %, ... */
const celebrityReach = (k: number) => 0.9 * 0.85 ** k;

export function checkGenerateOptions(o: GenerateOptions): void {
  if (!Number.isSafeInteger(o.users) || o.users < 2) throw new GenerateOptionsError('--users must be an integer of at least 2');
  if (!Number.isSafeInteger(o.follows) || o.follows < 0) throw new GenerateOptionsError('--follows must be a non-negative integer');
  if (o.follows > 2 ** 31 - 1) throw new GenerateOptionsError('--follows must be below 2^31');
  if (o.follows > (o.users * (o.users - 1)) / 2) throw new GenerateOptionsError('--follows must be at most users x (users - 1) / 2');
  if (!Number.isSafeInteger(o.celebrities) || o.celebrities < 0 || o.celebrities >= o.users) throw new GenerateOptionsError('--celebrities must be between 0 and users - 1');
  if (!Number.isSafeInteger(o.seed)) throw new GenerateOptionsError('--seed must be an integer');
  if (o.to - o.from < o.users) throw new GenerateOptionsError('too many users for the creation period (one per millisecond at most)');
}

/** Creation instants, strictly increasing, and snowflake ids minted at them. */
function accountIds(rnd: SeededRandom, o: GenerateOptions): { ids: BigInt64Array; createdAt: Float64Array } {
  const ids = new BigInt64Array(o.users);
  const createdAt = new Float64Array(o.users);
  const gap = (o.to - o.from) / o.users;
  for (let i = 0; i < o.users; i++) {
    const lo = Math.floor(i * gap);
    const ms = o.from + lo + rnd.int(Math.floor((i + 1) * gap) - lo);
    createdAt[i] = ms;
    ids[i] = snowflakeAt(ms, (i + o.seed * 7919) % 1024); // the worker bits differ between seeds too
  }
  return { ids, createdAt };
}

/** Targets for one follower: distinct, never itself; Zipf first, then uniform, then a scan when dense. */
class TargetPicker {
  private readonly zipf: ZipfRanks;
  constructor(private readonly rnd: SeededRandom, private readonly byRank: Int32Array, private readonly celebs: number) {
    this.zipf = new ZipfRanks(byRank.length - celebs);
  }

  pick(self: number, taken: Set<number>): number {
    const n = this.byRank.length;
    for (let t = 0; t < 16; t++) {
      const u = this.byRank[this.celebs + this.zipf.draw(this.rnd)]!;
      if (u !== self && !taken.has(u)) return u;
    }
    for (let t = 0; t < 16; t++) {
      const u = this.rnd.int(n);
      if (u !== self && !taken.has(u)) return u;
    }
    for (let u = this.rnd.int(n), seen = 0; seen < n; u = (u + 1) % n, seen++) if (u !== self && !taken.has(u)) return u;
    throw new GenerateOptionsError('no target left'); // unreachable: degrees are capped at users - 1
  }
}

export function generateGraph(o: GenerateOptions, progress: Progress): GeneratedGraph {
  checkGenerateOptions(o);
  const rnd = new SeededRandom(o.seed);
  const { ids, createdAt } = accountIds(rnd, o);
  // Popularity is independent of age: a seeded shuffle ranks the users; the first K are celebrities.
  const byRank = new Int32Array(o.users).map((_, i) => i);
  for (let i = o.users - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [byRank[i], byRank[j]] = [byRank[j]!, byRank[i]!];
  }
  const celebrities = Array.from(byRank.subarray(0, o.celebrities));
  const degrees = outDegrees(rnd, o.users, o.follows, o.users - 1);
  const picker = new TargetPicker(rnd, byRank, o.celebrities);
  const edges = newEdgeList(ids, o.follows);
  const taken = new Set<number>();
  progress.start('generating', o.follows);
  for (let src = 0; src < o.users; src++) {
    const d = degrees[src]!;
    taken.clear();
    for (let k = 0; k < celebrities.length && taken.size < d; k++) {
      if (celebrities[k] !== src && rnd.chance(celebrityReach(k))) taken.add(celebrities[k]!);
    }
    while (taken.size < d) taken.add(picker.pick(src, taken));
    for (const dst of taken) {
      const i = edges.count++;
      edges.src[i] = src;
      edges.dst[i] = dst;
      edges.flags[i] = (rnd.chance(0.02) ? NOTIFY : 0) | (rnd.chance(0.03) ? NO_RETWEETS : 0);
    }
    progress.tick(d);
  }
  progress.stop();
  const celebSet = new Set(celebrities);
  return {
    edges,
    celebrities,
    *profiles(taken: Set<string>) {
      const maker = new ProfileMaker(new SeededRandom(o.seed ^ 0x5bd1e995), taken);
      for (let i = 0; i < o.users; i++) yield maker.make(ids[i]!, createdAt[i]!, { celebrity: celebSet.has(i) });
    },
  };
}
