// The cached v1.1 and v2 user arrays are byte-for-byte what the plain renderer writes, for every list
// variant, with and without entities, for any relation, cold and warm; a changed row is never
// answered from the cache; and the cache stays within its byte bound. friendships/lookup's items too.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Relation, UserRow } from '../../src/store/types.js';
import { NO_RELATION } from '../../src/store/types.js';
import { toJson } from '../../src/wire/json.js';
import { renderUserV1 } from '../../src/wire/v1/user.js';
import { lookupItemsJson, renderLookupItem } from '../../src/wire/v1/relationship.js';
import { UserJsonCache, type CachedVariant } from '../../src/wire/v1/user-cache.js';
import { cachedUsersV2, renderUserV2, USER_FIELDS } from '../../src/wire/v2/user.js';
import { EncodedLru } from '../../src/wire/encoded-lru.js';

const ASSETS = { http: 'http://roost.test', https: 'https://roost.test' };

function users(n: number): UserRow[] {
  const names = ['Ada', 'Zoë "Z" Łukasz', 'emoji 🐦 bird', 'back\\slash', 'tab\there', '日本語の名前', 'line\nbreak'];
  return Array.from({ length: n }, (_, i) => ({
    id: 9_223_372_036_854_775_000n + BigInt(i),
    screenName: `user_${i}`,
    name: names[i % names.length]!,
    description: i % 3 === 0 ? `bio with https://example.com/${i} and 👋 https://roost.test/x` : '',
    location: i % 2 === 0 ? 'Zürich' : '',
    url: i % 4 === 0 ? `https://site${i}.example` : null,
    email: null,
    protected: i % 5 === 0,
    verified: i % 7 === 0,
    state: 'active',
    locked: false,
    followersCount: i * 1000,
    friendsCount: i,
    createdAt: 1_300_000_000_000 + i * 86_400_123,
    theme: i % 2 === 0 ? 'theme1' : 'plain',
  }));
}

function relations(list: readonly UserRow[]): Map<bigint, Relation> {
  const out = new Map<bigint, Relation>();
  list.forEach((u, i) => {
    if (i % 9 === 8) return; // no relation at all
    const bit = (k: number) => ((i * 37) >> k) % 2 === 1;
    out.set(u.id, { ...NO_RELATION, following: bit(0), requestSent: bit(1), notifications: bit(2), muting: bit(3), blocking: bit(4), blockedBy: bit(5), followedBy: bit(6) });
  });
  return out;
}

const plain = (list: readonly UserRow[], rels: Map<bigint, Relation>, variant: CachedVariant, includeEntities: boolean) =>
  toJson(list.map((u) => renderUserV1(u, { variant, includeEntities, relation: rels.get(u.id) ?? null, isViewer: false, assets: ASSETS })));

describe('cached v1.1 user arrays', () => {
  it('are byte-identical to the plain renderer, cold and warm', () => {
    const cache = new UserJsonCache(new EncodedLru(64 * 1024 * 1024));
    const list = users(60);
    const rels = relations(list);
    for (const variant of ['list', 'blocklist', 'lookup'] as const) {
      for (const includeEntities of [false, true]) {
        const expected = plain(list, rels, variant, includeEntities);
        for (const round of ['cold', 'warm']) {
          const got = cache.render(list, rels, { variant, includeEntities, assets: ASSETS }).bytes;
          assert.equal(got.toString('utf8'), expected, `${variant}, entities ${includeEntities}, ${round}`);
          assert.ok(got.equals(Buffer.from(expected)), 'same bytes');
        }
      }
    }
    assert.ok(cache.lru.stats.hits > 0 && cache.lru.stats.misses > 0);
    assert.deepEqual(JSON.parse(cache.render([], new Map(), { variant: 'list', includeEntities: false, assets: ASSETS }).bytes.toString()), []);
  });

  it('render one object of every variant byte-identical to the plain renderer, for the viewer and others', () => {
    const cache = new UserJsonCache(new EncodedLru(64 * 1024 * 1024));
    const list = users(24).map((u, i) => (i % 6 === 5 ? { ...u, state: 'suspended' as const } : u));
    const rels = relations(list);
    for (const variant of ['show', 'write', 'self', 'list', 'lookup'] as const) {
      for (const includeEntities of [false, true]) {
        for (const round of ['cold', 'warm']) {
          for (const [i, u] of list.entries()) {
            const isViewer = i % 4 === 0;
            const relation = isViewer ? null : rels.get(u.id) ?? null;
            const expected = toJson(renderUserV1(u, { variant, includeEntities, relation, isViewer, assets: ASSETS }));
            const got = cache.one(u, relation, isViewer, { variant, includeEntities, assets: ASSETS }).bytes;
            assert.equal(got.toString('utf8'), expected, `${variant}, entities ${includeEntities}, user ${i}, ${round}`);
          }
        }
      }
    }
  });

  it('never answers a changed row from the cache', () => {
    const cache = new UserJsonCache(new EncodedLru(64 * 1024 * 1024));
    const list = users(10);
    const rels = relations(list);
    const o = { variant: 'list' as const, includeEntities: true, assets: ASSETS };
    cache.render(list, rels, o);
    const changed = list.map((u, i) => (i === 3 ? { ...u, followersCount: u.followersCount + 1 } : i === 5 ? { ...u, protected: !u.protected, name: 'renamed' } : u));
    assert.equal(cache.render(changed, rels, o).bytes.toString(), plain(changed, rels, 'list', true));
    const otherHost = { http: 'http://other.test', https: 'https://other.test' };
    assert.equal(
      cache.render(list, rels, { ...o, assets: otherHost }).bytes.toString(),
      toJson(list.map((u) => renderUserV1(u, { variant: 'list', includeEntities: true, relation: rels.get(u.id) ?? null, isViewer: false, assets: otherHost }))),
    );
  });

  it('stays within its byte bound, dropping the least recently used', () => {
    const cache = new UserJsonCache(new EncodedLru(20_000));
    const list = users(200);
    const rels = relations(list);
    for (let i = 0; i < 200; i += 10) cache.render(list.slice(i, i + 10), rels, { variant: 'lookup', includeEntities: false, assets: ASSETS });
    assert.ok(cache.lru.size.bytes <= 20_000, `${cache.lru.size.bytes} bytes`);
    assert.ok(cache.lru.size.entries > 0 && cache.lru.size.entries < 200);
    const before = cache.lru.stats.hits;
    cache.render(list.slice(190), rels, { variant: 'lookup', includeEntities: false, assets: ASSETS });
    assert.equal(cache.lru.stats.hits - before, 10, 'the most recent users are still there');
  });
});

describe('cached v2 user arrays', () => {
  it('are byte-identical to renderUserV2 for caller-independent fields, and decline the others', () => {
    const lru = new EncodedLru(64 * 1024 * 1024);
    const list = users(40);
    const sets = [[], ['created_at', 'description', 'entities', 'location', 'protected', 'public_metrics', 'url', 'verified', 'verified_type', 'profile_image_url'], ['public_metrics']];
    for (const names of sets) {
      const fields = new Set(names);
      const expected = toJson(list.map((u) => renderUserV2(u, { fields, relation: null, isCaller: false, email: false, assets: ASSETS })));
      for (const round of ['cold', 'warm']) {
        assert.equal(cachedUsersV2(lru, list, fields, ASSETS)?.bytes.toString(), expected, `${names.join(',')} ${round}`);
      }
    }
    const changed = list.map((u, i) => (i === 2 ? { ...u, friendsCount: u.friendsCount + 5 } : u));
    const metrics = new Set(['public_metrics']);
    assert.equal(cachedUsersV2(lru, changed, metrics, ASSETS)?.bytes.toString(),
      toJson(changed.map((u) => renderUserV2(u, { fields: metrics, relation: null, isCaller: false, email: false, assets: ASSETS }))));
    for (const f of ['connection_status', 'receives_your_dm', 'confirmed_email']) {
      assert.ok(USER_FIELDS.includes(f as (typeof USER_FIELDS)[number]));
      assert.equal(cachedUsersV2(lru, list, new Set([f]), ASSETS), null, f);
    }
  });
});

describe('cached friendships/lookup items', () => {
  it('are byte-identical to renderLookupItem, cold and warm, and a renamed user is never served stale', () => {
    const lru = new EncodedLru(64 * 1024 * 1024);
    const list = users(60);
    const rels = relations(list);
    for (const round of ['cold', 'warm']) {
      assert.equal(lookupItemsJson(lru, list, rels).bytes.toString(), toJson(list.map((u) => renderLookupItem(u, rels.get(u.id)))), round);
    }
    assert.ok(lru.stats.hits >= list.length);
    const renamed = list.map((u, i) => (i === 5 ? { ...u, name: 'New name', screenName: 'renamed' } : u));
    const text = lookupItemsJson(lru, renamed, rels).bytes.toString();
    assert.equal(text, toJson(renamed.map((u) => renderLookupItem(u, rels.get(u.id)))));
    assert.match(text, /"screen_name":"renamed"/);
  });
});
