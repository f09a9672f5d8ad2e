// Realistic generated profiles: names, unique valid screen names, bios, places, links.
import type { NewUser } from '../store/types.js';
import type { SeededRandom } from './random.js';
import { FIRST_NAMES, HANDLE_WORDS, INTERESTS, LAST_NAMES, LOCATIONS, ROLES, TAGLINES, URL_HOSTS } from './profile-words.js';

const MAX_HANDLE = 15;

export interface ProfileTraits {
  /** celebrities are verified, public and have a full bio */
  celebrity: boolean;
}

export class ProfileMaker {
  /** lower-cased screen names already used, in the database or earlier in this run */
  constructor(private readonly rnd: SeededRandom, private readonly taken: Set<string>) {}

  make(id: bigint, createdAt: number, traits: ProfileTraits): NewUser {
    const first = this.rnd.pick(FIRST_NAMES);
    const last = this.rnd.pick(LAST_NAMES);
    const screenName = this.uniqueHandle(first, last);
    const r = this.rnd;
    return {
      id,
      screenName,
      name: r.chance(0.85) ? `${first} ${last}` : r.chance(0.5) ? first : `${first} ${last[0]}.`,
      description: traits.celebrity || r.chance(0.7) ? this.bio() : '',
      location: r.chance(0.6) ? r.pick(LOCATIONS) : '',
      url: traits.celebrity || r.chance(0.25) ? `https://${r.pick(URL_HOSTS)}/${screenName.toLowerCase()}`.replace('/@/', '/@') : null,
      protected: !traits.celebrity && r.chance(0.05),
      verified: traits.celebrity || r.chance(0.004),
      createdAt,
    };
  }

  private bio(): string {
    const r = this.rnd;
    const interests = [r.pick(INTERESTS), r.pick(INTERESTS)];
    const head = r.chance(0.6) ? `${r.pick(ROLES)} in ${r.pick(LOCATIONS).split(',')[0]}.` : `${r.pick(ROLES)}.`;
    return `${head} Into ${interests[0]} and ${interests[1]}. ${r.pick(TAGLINES)}`.trim();
  }

  private uniqueHandle(first: string, last: string): string {
    const r = this.rnd;
    const shapes = [
      () => `${first}${last}`, () => `${first}_${last}`, () => `${first[0]}${last}`, () => `${first}${r.int(100)}`,
      () => `${r.pick(HANDLE_WORDS)}${first}`, () => `${first}${last}${r.int(1000)}`, () => `${last}${first[0]}`,
    ];
    let base = r.pick(shapes)().slice(0, MAX_HANDLE);
    if (r.chance(0.5)) base = base.toLowerCase();
    let handle = base;
    // Collisions: add digits as people do, trimming the base so the whole stays within 15.
    for (let digits = 1; this.taken.has(handle.toLowerCase()); digits = Math.min(digits + 1, 9)) {
      const suffix = String(r.int(10 ** digits));
      handle = base.slice(0, MAX_HANDLE - suffix.length) + suffix;
    }
    this.taken.add(handle.toLowerCase());
    return handle;
  }
}
