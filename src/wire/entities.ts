// Entities of a profile's url and description. They are found by twitter-text, Twitter's own
// extraction library: URLs stop before trailing punctuation and bare domains are links, as on
// Twitter. roost does not shorten links, so `url` = `expanded_url`.
import { createRequire } from 'node:module';
import type TwitterText from 'twitter-text';

// Loaded on first use: a CLI command that renders no profile should not pay for parsing it.
const require = createRequire(import.meta.url);
let loaded: typeof TwitterText | undefined;
const twitterText = (): typeof TwitterText => (loaded ??= require('twitter-text') as typeof TwitterText);

/** Offsets in Unicode code points, start inclusive, end exclusive. */
export type Indices = [number, number];

export interface UrlEntity {
  url: string;
  expanded_url: string;
  display_url: string;
  indices: Indices;
}

export interface TagEntity {
  tag: string;
  indices: Indices;
}

export interface MentionEntity {
  username: string;
  indices: Indices;
}

export interface TextEntities {
  urls: UrlEntity[];
  hashtags: TagEntity[];
  cashtags: TagEntity[];
  mentions: MentionEntity[];
}

/** A display_url keeps this many characters of what follows the host, and ends with "…" when it cut. */
const DISPLAY_REST = 15;
const SCHEME = /^https?:\/\//i;
/** Without one of these twitter-text finds nothing (a link needs a dot); most bios are skipped cheaply. */
const MAY_HOLD_ENTITY = /[.@#$\uFF20\uFF03]/;
/** The longest handle Twitter allowed; twitter-text matches up to 20 characters after an @. */
const MAX_HANDLE = 15;

const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * Twitter's display_url: the link without its scheme, a leading `www.` or a bare trailing `/`,
 * and past the host at most 16 characters, or else 15 and "…" (every recorded pair follows this:
 * "twitter.com/Harmon758Public" whole, "blog.twitter.com/en_us/topics/c…" cut).
 */
export function displayUrl(url: string): string {
  const bare = url.replace(SCHEME, '').replace(/^www\./i, '');
  const at = bare.search(/[/?#]/);
  const host = at === -1 ? bare : bare.slice(0, at);
  const rest = at === -1 || bare.slice(at) === '/' ? [] : [...bare.slice(at)];
  return host + (rest.length > DISPLAY_REST + 1 ? `${rest.slice(0, DISPLAY_REST).join('')}…` : rest.join(''));
}

/** A link as typed, made absolute the way Twitter expanded a bare domain: with http://. */
function urlEntity(text: string, indices: Indices): UrlEntity {
  const expanded = SCHEME.test(text) ? text : `http://${text}`;
  return { url: expanded, expanded_url: expanded, display_url: displayUrl(expanded), indices };
}

/** The profile's url field is one link from end to end (Twitter validated it as a whole). */
export function profileUrlEntity(url: string): UrlEntity {
  return urlEntity(url, [0, codePoints(url)]);
}

/**
 * Everything twitter-text finds in a description. twitter-text counts UTF-16 units; Twitter's
 * API counted code points (twitter-text's own modifyIndicesFromUTF16ToUnicode keeps an entity's
 * UTF-16 length, so both ends are converted here instead).
 */
export function textEntities(text: string): TextEntities {
  const out: TextEntities = { urls: [], hashtags: [], cashtags: [], mentions: [] };
  if (!MAY_HOLD_ENTITY.test(text)) return out;
  const at = (utf16: number) => codePoints(text.slice(0, utf16));
  for (const e of twitterText().extractEntitiesWithIndices(text)) {
    const indices: Indices = [at(e.indices[0]), at(e.indices[1])];
    if ('url' in e) out.urls.push(urlEntity(e.url, indices));
    else if ('hashtag' in e) out.hashtags.push({ tag: e.hashtag, indices });
    else if ('cashtag' in e) out.cashtags.push({ tag: e.cashtag, indices });
    else if ('screenName' in e && e.screenName.length <= MAX_HANDLE) {
      // "@name/list" mentions the account: the entity covers "@name".
      out.mentions.push({ username: e.screenName, indices: [indices[0], indices[0] + 1 + e.screenName.length] });
    }
  }
  return out;
}
