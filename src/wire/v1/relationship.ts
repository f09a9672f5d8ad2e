// friendships/show and friendships/update's Relationship, and friendships/lookup's items (§12).
import type { Relation, UserRow } from '../../store/types.js';
import type { EncodedLru } from '../encoded-lru.js';
import { encodeJson, jsonArray, type JsonBytes, type Json } from '../json.js';

/** `rel` is the source's relation to the target; private members are null unless the source is the viewer. */
export function renderRelationship(source: UserRow, target: UserRow, rel: Relation, sourceIsViewer: boolean): Json {
  const priv = <T extends Json>(v: T): T | null => (sourceIsViewer ? v : null);
  return {
    relationship: {
      source: {
        id: source.id,
        id_str: source.id.toString(),
        screen_name: source.screenName,
        following: rel.following,
        followed_by: rel.followedBy,
        live_following: false,
        following_received: priv(rel.requestReceived),
        following_requested: priv(rel.requestSent),
        notifications_enabled: priv(rel.notifications),
        can_dm: rel.followedBy && !rel.blocking && !rel.blockedBy,
        blocking: priv(rel.blocking),
        blocked_by: priv(rel.blockedBy),
        muting: priv(rel.muting),
        want_retweets: priv(rel.following && rel.wantRetweets),
        all_replies: priv(false),
        marked_spam: priv(false),
      },
      target: {
        id: target.id,
        id_str: target.id.toString(),
        screen_name: target.screenName,
        following: rel.followedBy,
        followed_by: rel.following,
        following_received: priv(rel.requestSent),
        following_requested: priv(rel.requestReceived),
      },
    },
  };
}

/** Connections in the documented order; "none" stands alone. */
export function connections(rel: Relation | undefined): string[] {
  if (!rel) return ['none'];
  const out: string[] = [];
  if (rel.following) out.push('following');
  if (rel.requestSent) out.push('following_requested');
  if (rel.requestReceived) out.push('following_received');
  if (rel.followedBy) out.push('followed_by');
  if (rel.blocking) out.push('blocking');
  if (rel.muting) out.push('muting');
  return out.length > 0 ? out : ['none'];
}

/** A lookup item's members that depend on the user alone, in their order. */
function lookupItemHead(user: UserRow) {
  return { name: user.name, screen_name: user.screenName, id: user.id, id_str: user.id.toString() };
}

export function renderLookupItem(user: UserRow, rel: Relation | undefined): Json {
  return { ...lookupItemHead(user), connections: connections(rel) };
}

/** `,"connections":[...]}` by the connections joined: at most a few dozen distinct tails. */
const TAILS = new Map<string, Buffer>();

/**
 * friendships/lookup's items as one JSON array, byte-identical to renderLookupItem's: the members
 * that depend on the user alone come from cached bytes, the connections from a pre-encoded tail.
 */
export function lookupItemsJson(lru: EncodedLru, users: readonly UserRow[], rels: ReadonlyMap<bigint, Relation>): JsonBytes {
  const space = lru.space('v1|lookup-item');
  return jsonArray(users, (u, out) => {
    const head = space.get(u, () => {
      const full = encodeJson(lookupItemHead(u));
      return full.subarray(0, full.length - 1);
    });
    const names = connections(rels.get(u.id));
    const key = names.join(',');
    let tail = TAILS.get(key);
    if (!tail) TAILS.set(key, (tail = Buffer.from(`,"connections":${JSON.stringify(names)}}`)));
    out.push(head, tail);
  });
}
