// v1.1 user arrays (followers/list, users/lookup, ...) from cached bytes. The members that depend
// on the user alone are encoded once and kept in an EncodedLru (never stale: see there); the
// members that depend on the viewer (`following` onwards) are spliced in per request from a
// handful of pre-encoded tails.
import type { Relation, UserRow } from '../../store/types.js';
import type { EncodedLru, Space } from '../encoded-lru.js';
import { encodeJson, jsonArray, JsonBytes } from '../json.js';
import { userProfileFields, userViewerFields, type AssetHosts, type UserVariant } from './user.js';

/** The variants whose viewer members never depend on who the user is (no `suspended`). */
export type CachedVariant = 'list' | 'blocklist' | 'lookup';

export interface CachedRenderOptions {
  variant: CachedVariant;
  includeEntities: boolean;
  assets: AssetHosts;
}

const COMMA = Buffer.from(',');

export class UserJsonCache {
  private readonly tails = new Map<string, Buffer>();

  constructor(readonly lru: EncodedLru) {}

  /** The JSON array of the users, each with the viewer's relation to it (none: not related). */
  render(users: readonly UserRow[], relations: ReadonlyMap<bigint, Relation>, o: CachedRenderOptions): JsonBytes {
    const space = this.space(o);
    return jsonArray(users, (user, out) => { out.push(this.head(space, user, o), this.tail(o.variant, relations.get(user.id) ?? null, user)); });
  }

  /**
   * One user object of any variant (users/show, a write's answer, verify_credentials without
   * email): the same cached head, and the tail for this viewer. Byte-identical to renderUserV1.
   */
  one(user: UserRow, relation: Relation | null, isViewer: boolean, o: { variant: UserVariant; includeEntities: boolean; assets: AssetHosts }): JsonBytes {
    return new JsonBytes(Buffer.concat([this.head(this.space(o), user, o), this.tail(o.variant, relation, user, isViewer)]));
  }

  private space(o: { variant: UserVariant; includeEntities: boolean; assets: AssetHosts }): Space {
    return this.lru.space(`v1|${o.variant}|${o.includeEntities ? 1 : 0}|${o.assets.http}|${o.assets.https}`);
  }

  /** The profile members as `{...` without the closing brace. */
  private head(space: Space, user: UserRow, o: { variant: UserVariant; includeEntities: boolean; assets: AssetHosts }): Buffer {
    return space.get(user, () => {
      const full = encodeJson(userProfileFields(user, o));
      return full.subarray(0, full.length - 1);
    });
  }

  /** `,"following":...}`: at most 2^6 distinct tails per variant (times two for the viewer's own state). */
  private tail(variant: UserVariant, rel: Relation | null, user: UserRow, isViewer = false): Buffer {
    const r = rel ?? undefined;
    // The viewer's own object under show and self also says whether the account is suspended.
    const own = isViewer && (variant === 'show' || variant === 'self') ? (user.state === 'suspended' ? '|s' : '|a') : '';
    const key = `${variant}|${r ? [r.following, r.requestSent, r.notifications, r.muting, r.blocking, r.blockedBy].map(Number).join('') : '-'}${own}`;
    let tail = this.tails.get(key);
    if (!tail) {
      const full = encodeJson(userViewerFields(user, { variant, relation: rel, isViewer }));
      tail = Buffer.concat([COMMA, full.subarray(1)]);
      this.tails.set(key, tail);
    }
    return tail;
  }
}
