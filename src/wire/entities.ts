// URL entities of a profile. roost does not shorten links, so url = expanded_url.
export interface UrlEntity {
  url: string;
  expanded_url: string;
  display_url: string;
  indices: [number, number];
}

const URL_PATTERN = /https?:\/\/[^\s]+/g;

export function displayUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/^www\./, '');
}

/** Offsets count code points, as Twitter's did, not UTF-16 units. */
function codePointIndex(text: string, utf16Index: number): number {
  return [...text.slice(0, utf16Index)].length;
}

export function urlEntities(text: string): UrlEntity[] {
  const out: UrlEntity[] = [];
  for (const m of text.matchAll(URL_PATTERN)) {
    const start = codePointIndex(text, m.index ?? 0);
    const url = m[0];
    out.push({ url, expanded_url: url, display_url: displayUrl(url), indices: [start, start + [...url].length] });
  }
  return out;
}
