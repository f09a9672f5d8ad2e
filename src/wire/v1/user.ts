// The v1.1 User object (§11), one renderer for every variant; field order follows the recordings.
import type { ProfileTheme, Relation, UserRow } from '../../store/types.js';
import { NO_RELATION } from '../../store/types.js';
import type { Json } from '../json.js';
import { twitterDate } from '../dates.js';
import { profileUrlEntity, textEntities } from '../entities.js';

/**
 * show: users/show · lookup: users/lookup and users/search · list: followers/friends lists ·
 * blocklist: blocks/mutes lists · write: the answer to a follow, block or mute · self: verify_credentials.
 */
export type UserVariant = 'show' | 'lookup' | 'list' | 'blocklist' | 'write' | 'self';

export interface AssetHosts {
  /** origins for the http and https image URLs, where roost serves the default images */
  http: string;
  https: string;
}

/**
 * Background colour and image of each design, as recorded for default accounts: theme1, Twitter's
 * until 2016 ("C0DEED", themes/theme1/bg.png), and plain, since ("F5F8FA", both URLs null).
 */
const BACKGROUNDS: Record<ProfileTheme, { color: string; image: string | null }> = {
  theme1: { color: 'C0DEED', image: '/images/themes/theme1/bg.png' },
  plain: { color: 'F5F8FA', image: null },
};

export interface UserRenderOptions {
  variant: UserVariant;
  /** the viewer's relation to the user; null when there is no viewer (app-only) or it is the viewer */
  relation: Relation | null;
  isViewer: boolean;
  includeEntities: boolean;
  /** verify_credentials with include_email: the address (or null); undefined leaves the member out */
  email?: string | null;
  assets: AssetHosts;
}

/** v1.1 user entities carry URLs only, hashtags and mentions never (as recorded). */
export function userEntities(user: UserRow): Json {
  const entities: Record<string, Json> = {};
  if (user.url !== null) entities.url = { urls: [profileUrlEntity(user.url)] as unknown as Json };
  entities.description = { urls: textEntities(user.description).urls as unknown as Json };
  return entities;
}

/** The members that depend on the user alone, in wire order: everything before `following`. */
export function userProfileFields(user: UserRow, o: Omit<UserRenderOptions, 'relation' | 'isViewer'>): Record<string, Json> {
  const v = o.variant;
  const out: Record<string, Json> = {
    id: user.id,
    id_str: user.id.toString(),
    name: user.name,
    screen_name: user.screenName,
  };
  if (o.email !== undefined) out.email = o.email;
  out.location = user.location;
  if (v === 'show') out.profile_location = null;
  out.description = user.description;
  out.url = user.url;
  if (o.includeEntities) out.entities = userEntities(user);
  const background = BACKGROUNDS[user.theme];
  return Object.assign(out, {
    protected: user.protected,
    followers_count: user.followersCount,
    friends_count: user.friendsCount,
    listed_count: 0,
    created_at: twitterDate(user.createdAt),
    favourites_count: 0,
    utc_offset: null,
    time_zone: null,
    geo_enabled: false,
    verified: user.verified,
    statuses_count: 0,
    lang: null,
    contributors_enabled: false,
    is_translator: false,
    is_translation_enabled: false,
    profile_background_color: background.color,
    profile_background_image_url: background.image && o.assets.http + background.image,
    profile_background_image_url_https: background.image && o.assets.https + background.image,
    profile_background_tile: false,
    profile_image_url: `${o.assets.http}/images/default_profile_normal.png`,
    profile_image_url_https: `${o.assets.https}/images/default_profile_normal.png`,
    profile_link_color: '1DA1F2',
    profile_sidebar_border_color: 'C0DEED',
    profile_sidebar_fill_color: 'DDEEF6',
    profile_text_color: '333333',
    profile_use_background_image: true,
    has_extended_profile: false,
    default_profile: true,
    default_profile_image: true,
  });
}

/** The members that depend on who is asking, in wire order: `following` to the end. */
export function userViewerFields(user: UserRow, o: Pick<UserRenderOptions, 'variant' | 'relation' | 'isViewer'>): Record<string, Json> {
  const rel = o.relation ?? NO_RELATION;
  const v = o.variant;
  const out: Record<string, Json> = { following: rel.following };
  if (v === 'list') out.live_following = false;
  out.follow_request_sent = rel.requestSent;
  out.notifications = rel.notifications;
  if (v === 'list' || v === 'blocklist' || v === 'write') out.muting = rel.muting;
  if (v === 'list' || v === 'blocklist') {
    out.blocking = rel.blocking;
    out.blocked_by = rel.blockedBy;
  }
  out.translator_type = 'none';
  if (v === 'self' || (v === 'show' && o.isViewer)) {
    out.suspended = user.state === 'suspended';
    out.needs_phone_verification = false;
  }
  return out;
}

export function renderUserV1(user: UserRow, o: UserRenderOptions): Record<string, Json> {
  return { ...userProfileFields(user, o), ...userViewerFields(user, o) };
}
