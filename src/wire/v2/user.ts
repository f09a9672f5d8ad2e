// The v2 User object: id, name and username always; every other field only when requested
// and when it has a value. Keys are written in alphabetical order, as real responses had them.
import type { Relation, UserRow } from '../../store/types.js';
import type { EncodedLru } from '../encoded-lru.js';
import { encodeJson, jsonArray, type JsonBytes, type Json } from '../json.js';
import { isoDate } from '../dates.js';
import { profileUrlEntity, textEntities, type UrlEntity } from '../entities.js';
import type { AssetHosts } from '../v1/user.js';

/** Every user field X's OpenAPI document names (2.134), alphabetical. */
export const USER_FIELDS = [
  'affiliation', 'confirmed_email', 'connection_status', 'created_at', 'description', 'entities', 'id',
  'is_identity_verified', 'location', 'most_recent_tweet_id', 'name', 'parody', 'pinned_tweet_id',
  'profile_banner_url', 'profile_image_url', 'protected', 'public_metrics', 'receives_your_dm', 'subscription',
  'subscription_type', 'url', 'username', 'verified', 'verified_followers_count', 'verified_type', 'withheld',
] as const;

export interface V2UserOptions {
  fields: ReadonlySet<string>;
  /** the caller's relation to this user, for connection_status; null without a user caller */
  relation: Relation | null;
  isCaller: boolean;
  /** confirmed_email may be shown to this caller (/2/users/me, with users.email under OAuth 2.0) */
  email: boolean;
  assets: AssetHosts;
}

function connectionStatus(rel: Relation): string[] {
  const out: string[] = [];
  if (rel.requestSent) out.push('follow_request_sent');
  if (rel.requestReceived) out.push('follow_request_received');
  if (rel.following) out.push('following');
  if (rel.followedBy) out.push('followed_by');
  if (rel.blocking) out.push('blocking');
  if (rel.muting) out.push('muting');
  return out;
}

const v2Url = (e: UrlEntity): Json => ({ display_url: e.display_url, end: e.indices[1], expanded_url: e.expanded_url, start: e.indices[0], url: e.url });

/** Each list under `description`, and `url`, only when it has items; keys alphabetical (§User). */
function entities(user: UserRow): Json | undefined {
  const out: Record<string, Json> = {};
  const found = textEntities(user.description);
  const description: Record<string, Json> = {};
  if (found.cashtags.length > 0) description.cashtags = found.cashtags.map((t) => ({ end: t.indices[1], start: t.indices[0], tag: t.tag }));
  if (found.hashtags.length > 0) description.hashtags = found.hashtags.map((t) => ({ end: t.indices[1], start: t.indices[0], tag: t.tag }));
  if (found.mentions.length > 0) description.mentions = found.mentions.map((m) => ({ end: m.indices[1], start: m.indices[0], username: m.username }));
  if (found.urls.length > 0) description.urls = found.urls.map(v2Url);
  if (Object.keys(description).length > 0) out.description = description;
  if (user.url) out.url = { urls: [v2Url(profileUrlEntity(user.url))] };
  return Object.keys(out).length > 0 ? out : undefined;
}

export function renderUserV2(user: UserRow, o: V2UserOptions): Record<string, Json> {
  const f = o.fields;
  const values: Record<string, Json | undefined> = {
    id: user.id.toString(),
    name: user.name,
    username: user.screenName,
  };
  if (f.has('created_at')) values.created_at = isoDate(user.createdAt);
  if (f.has('description')) values.description = user.description;
  if (f.has('entities')) values.entities = entities(user);
  if (f.has('location') && user.location) values.location = user.location;
  if (f.has('profile_image_url')) values.profile_image_url = `${o.assets.https}/images/default_profile_normal.png`;
  if (f.has('protected')) values.protected = user.protected;
  if (f.has('public_metrics')) {
    values.public_metrics = {
      followers_count: user.followersCount, following_count: user.friendsCount, tweet_count: 0, listed_count: 0, like_count: 0, media_count: 0,
    };
  }
  if (f.has('url')) values.url = user.url ?? '';
  if (f.has('verified')) values.verified = user.verified;
  if (f.has('verified_type')) values.verified_type = user.verified ? 'blue' : 'none';
  if (f.has('connection_status') && o.relation && !o.isCaller) values.connection_status = connectionStatus(o.relation);
  if (f.has('receives_your_dm') && o.relation && !o.isCaller) values.receives_your_dm = o.relation.followedBy && !o.relation.blocking && !o.relation.blockedBy;
  if (f.has('subscription_type')) values.subscription_type = 'None';
  if (f.has('parody')) values.parody = false;
  if (f.has('is_identity_verified')) values.is_identity_verified = false;
  if (f.has('verified_followers_count')) values.verified_followers_count = 0;
  if (f.has('confirmed_email') && o.email && o.isCaller && user.email) values.confirmed_email = user.email;
  const out: Record<string, Json> = {};
  for (const key of Object.keys(values).sort()) if (values[key] !== undefined) out[key] = values[key]!;
  return out;
}

/** Fields that depend on who is asking: a rendering with any of them is never cached. */
const CALLER_FIELDS = ['connection_status', 'receives_your_dm', 'confirmed_email'];

/**
 * The users as a JSON array from cached bytes, when the fields asked for depend on the user
 * alone; null otherwise (render them one by one). Byte-identical to renderUserV2's.
 */
export function cachedUsersV2(lru: EncodedLru, users: readonly UserRow[], fields: ReadonlySet<string>, assets: AssetHosts): JsonBytes | null {
  if (CALLER_FIELDS.some((f) => fields.has(f))) return null;
  const space = lru.space(`v2|${[...fields].sort().join(',')}|${assets.https}`);
  const o: V2UserOptions = { fields, relation: null, isCaller: false, email: false, assets };
  return jsonArray(users, (u, out) => { out.push(space.get(u, () => encodeJson(renderUserV2(u, o)))); });
}
