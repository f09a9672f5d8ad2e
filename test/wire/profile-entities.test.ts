// Profile entities as Twitter found them: links end before trailing punctuation, bare domains
// are links, display_url is cut as Twitter cut it, offsets count code points, and v2 also lists
// the description's mentions, hashtags and cashtags. v1.1 through users/show, v2 through
// /2/users/:id with user.fields=entities (validated against the OpenAPI document).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Harness, TestUser } from '../support/harness.js';
import { idOf, startV2Harness } from '../support/v2.js';

let h: Harness;
let ana: TestUser, raw: TestUser;

const BIO = 'Café 😀 by @bob_x: #selfhost $ROOST, see github.com/roost/roost, (https://example.org/docs). '
  + 'Plans: https://blog.example.org/en_us/topics/company/2020/plans.html';
const LONG = 'https://blog.example.org/en_us/topics/company/2020/plans.html';

/** [start, end) of `part` in BIO, in code points. */
function span(part: string): [number, number] {
  const at = BIO.indexOf(part);
  assert.ok(at >= 0, part);
  const start = [...BIO.slice(0, at)].length;
  return [start, start + [...part].length];
}

before(async () => {
  h = await startV2Harness();
  ana = await h.user('ana', { url: 'https://www.example.org/', description: BIO });
  raw = await h.user('raw', { url: 'http://localhost:8080/me', description: 'see https://a.example or localhost:3000' });
});
after(() => h.close());

const expectedUrls = () => [
  { url: 'http://github.com/roost/roost', expanded_url: 'http://github.com/roost/roost', display_url: 'github.com/roost/roost', indices: span('github.com/roost/roost') },
  { url: 'https://example.org/docs', expanded_url: 'https://example.org/docs', display_url: 'example.org/docs', indices: span('https://example.org/docs') },
  { url: LONG, expanded_url: LONG, display_url: 'blog.example.org/en_us/topics/c…', indices: span(LONG) },
];

describe('v1.1 user entities', () => {
  test('description URLs stop before punctuation, bare domains link, offsets in code points, no hashtags or mentions', async () => {
    const u = await ana.client.v1.get('users/show.json', { screen_name: 'ana' });
    assert.deepEqual(u.entities.description, { urls: expectedUrls() });
    const chars = [...u.description];
    assert.deepEqual(u.entities.description.urls.map((e: { indices: [number, number] }) => chars.slice(...e.indices).join('')),
      ['github.com/roost/roost', 'https://example.org/docs', LONG]);
  });

  test('the url field is one link; display_url drops scheme, www. and a bare trailing slash', async () => {
    const u = await ana.client.v1.get('users/show.json', { screen_name: 'ana' });
    assert.deepEqual(u.entities.url, {
      urls: [{ url: 'https://www.example.org/', expanded_url: 'https://www.example.org/', display_url: 'example.org', indices: [0, 24] }],
    });
  });

  test('what Twitter did not link (no known top-level domain) has no entity', async () => {
    const u = await raw.client.v1.get('users/show.json', { screen_name: 'raw' });
    assert.deepEqual(u.entities.description, { urls: [] });
    assert.equal(u.entities.url.urls[0].display_url, 'localhost:8080/me');
  });
});

describe('v2 user entities', () => {
  test('description carries cashtags, hashtags, mentions and urls, keys alphabetical', async () => {
    const { data } = await ana.client.v2.user(idOf(ana), { 'user.fields': 'entities' });
    const entities = (data as unknown as { entities: Record<string, Record<string, unknown>> }).entities;
    const at = (part: string) => {
      const [start, end] = span(part);
      return { end, start };
    };
    assert.deepEqual(entities.description, {
      cashtags: [{ ...at('$ROOST'), tag: 'ROOST' }],
      hashtags: [{ ...at('#selfhost'), tag: 'selfhost' }],
      mentions: [{ ...at('@bob_x'), username: 'bob_x' }],
      urls: expectedUrls().map((e) => ({ display_url: e.display_url, end: e.indices[1], expanded_url: e.expanded_url, start: e.indices[0], url: e.url })),
    });
    assert.deepEqual(Object.keys(entities), ['description', 'url']);
    assert.deepEqual(Object.keys(entities.description!), ['cashtags', 'hashtags', 'mentions', 'urls']);
    assert.deepEqual(entities.url, { urls: [{ display_url: 'example.org', end: 24, expanded_url: 'https://www.example.org/', start: 0, url: 'https://www.example.org/' }] });
  });

  test('a description with nothing Twitter would link has no description entities', async () => {
    const { data } = await raw.client.v2.user(idOf(raw), { 'user.fields': 'entities' });
    assert.deepEqual(Object.keys((data as unknown as { entities: object }).entities), ['url']);
  });
});
