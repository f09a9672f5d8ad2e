// v2 request validation (§1.2, §2.2, §5.4): unknown and repeated parameters, enum values of
// user.fields / expansions / tweet.fields with the exact allowed lists, ids and usernames,
// list lengths, several failures in one 400, and the 404 problem for unknown /2 routes. Every
// reply is validated against the OpenAPI document (unknown routes against `Problem`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Harness, TestUser } from '../../support/harness.js';
import { catalogueBody } from '../../support/openapi.js';
import { assertExact, call, failure, idOf, invalid, startV2Harness, text } from '../../support/v2.js';

let h: Harness;
let ana: TestUser, bob: TestUser;

before(async () => {
  h = await startV2Harness();
  ana = await h.user('ana');
  bob = await h.user('bob');
});
after(() => h.close());

const USER_FIELDS = 'affiliation,confirmed_email,connection_status,created_at,description,entities,id,is_identity_verified,location,'
  + 'most_recent_tweet_id,name,parody,pinned_tweet_id,profile_banner_url,profile_image_url,protected,public_metrics,receives_your_dm,'
  + 'subscription,subscription_type,url,username,verified,verified_followers_count,verified_type,withheld';
const TWEET_FIELDS = 'article,attachments,author_id,card_uri,community_id,context_annotations,conversation_id,created_at,display_text_range,'
  + 'edit_controls,edit_history_tweet_ids,entities,geo,id,in_reply_to_user_id,lang,media_metadata,non_public_metrics,note_tweet,'
  + 'organic_metrics,possibly_sensitive,promoted_metrics,public_metrics,referenced_tweets,reply_settings,scopes,source,text,withheld';
const get = (path: string, query: Record<string, string> | [string, string][] = {}, u: TestUser = ana) => call(h, 'GET', path, { user: u }, { query });
const entry = (param: string, value: string, message: string) => ({ parameters: { [param]: [value] }, message });

describe('parameters', () => {
  test('an unknown parameter lists the known ones, path parameters first (§5.4 lists)', async () => {
    const id = idOf(bob);
    const cases: [string, Record<string, string>, string][] = [
      ['/2/users', { ids: id }, 'ids,expansions,tweet.fields,user.fields'],
      ['/2/users/by', { usernames: 'bob' }, 'usernames,expansions,tweet.fields,user.fields'],
      [`/2/users/${id}`, {}, 'id,expansions,tweet.fields,user.fields'],
      ['/2/users/by/username/bob', {}, 'username,expansions,tweet.fields,user.fields'],
      ['/2/users/me', {}, 'expansions,tweet.fields,user.fields'],
      [`/2/users/${id}/followers`, {}, 'id,max_results,pagination_token,expansions,tweet.fields,user.fields'],
      [`/2/users/${id}/following`, {}, 'id,max_results,pagination_token,expansions,tweet.fields,user.fields'],
      [`/2/users/${idOf(ana)}/blocking`, {}, 'id,max_results,pagination_token,expansions,tweet.fields,user.fields'],
      [`/2/users/${idOf(ana)}/muting`, {}, 'id,max_results,pagination_token,expansions,tweet.fields,user.fields'],
    ];
    for (const [path, query, known] of cases) {
      for (const unknown of ['foo', 'media.fields']) {
        const r = await get(path, { ...query, [unknown]: 'x' });
        assertExact(r, 400, invalid(entry(unknown, 'x', `The query parameter [${unknown}] is not one of [${known}]`)));
      }
    }
  });

  test('a repeated parameter reports every value it was given', async () => {
    const r = await get('/2/users', [['ids', idOf(bob)], ['ids', idOf(ana)]]);
    assertExact(r, 400, invalid({ parameters: { ids: [idOf(bob), idOf(ana)] }, message: 'Duplicate parameters are not allowed: the `ids` query parameter' }));
    const f = await get(`/2/users/${idOf(bob)}/followers`, [['max_results', '5'], ['max_results', '5']]);
    assertExact(f, 400, invalid({ parameters: { max_results: ['5', '5'] }, message: 'Duplicate parameters are not allowed: the `max_results` query parameter' }));
    const q = await get('/2/users/search', [['query', 'a'], ['query', 'b']]);
    assertExact(q, 400, invalid({ parameters: { query: ['a', 'b'] }, message: 'Duplicate parameters are not allowed: the `query` query parameter' }));
  });

  test('the §5.6 two-failure body: a bad user.fields and a bad expansion, byte for byte', async () => {
    const r = await get(`/2/users/${idOf(bob)}`, { 'user.fields': 'followers_count', expansions: 'author_id' });
    assertExact(r, 400, catalogueBody('400 — two failed'));
  });

  test('enum values: user.fields, tweet.fields and expansions list their allowed values alphabetically', async () => {
    const r = await get('/2/users/me', { 'user.fields': 'id,nope,name', 'tweet.fields': 'text,bogus', expansions: 'pinned_tweet_id,nah' });
    assertExact(r, 400, invalid(
      entry('user.fields', 'nope', `The \`user.fields\` query parameter value [nope] is not one of [${USER_FIELDS}]`),
      entry('expansions', 'nah', 'The `expansions` query parameter value [nah] is not one of [affiliation.user_id,most_recent_tweet_id,pinned_tweet_id]'),
      entry('tweet.fields', 'bogus', `The \`tweet.fields\` query parameter value [bogus] is not one of [${TWEET_FIELDS}]`),
    ));
  });

  test('accepted: every allowed value, repeated values, tweet.fields without an expansion (no includes)', async () => {
    const r = await get(`/2/users/${idOf(bob)}`, { 'user.fields': `${USER_FIELDS},id,id`, 'tweet.fields': TWEET_FIELDS, expansions: 'affiliation.user_id,most_recent_tweet_id,pinned_tweet_id' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json), ['data']);
    const c = await ana.client.v2.user(idOf(bob), { expansions: ['pinned_tweet_id'], 'tweet.fields': ['created_at'] });
    assert.equal(text(c), text({ data: { id: idOf(bob), name: 'bob', username: 'bob' } }));
  });
});

describe('ids and usernames', () => {
  test('ids: each must be 1-19 digits; 101 values, none, or an empty value are refused', async () => {
    assertExact(await get('/2/users', { ids: `${idOf(bob)},12a,-1` }), 400, invalid(
      entry('ids', '12a', 'The `ids` query parameter value [12a] is not valid'),
      entry('ids', '-1', 'The `ids` query parameter value [-1] is not valid'),
    ));
    const many = Array.from({ length: 101 }, (_, i) => String(i + 1)).join(',');
    assertExact(await get('/2/users', { ids: many }), 400, invalid(entry('ids', many, 'The number of values in the `ids` query parameter list [101] is not between 1 and 100')));
    const hundred = Array.from({ length: 100 }, (_, i) => String(i + 1)).join(',');
    assert.equal((await get('/2/users', { ids: hundred })).status, 200);
    assertExact(await get('/2/users', { ids: '' }), 400, invalid(entry('ids', '', 'The `ids` query parameter can not be empty')));
    assertExact(await get('/2/users'), 400, invalid({ parameters: { ids: [] }, message: 'The `ids` query parameter can not be empty' }));
  });

  test('usernames: the pattern, the 100 cap, the empty list', async () => {
    assertExact(await get('/2/users/by', { usernames: 'bob,bad-name,sixteen_chars_xx' }), 400, invalid(
      entry('usernames', 'bad-name', 'The `usernames` query parameter value [bad-name] does not match ^[A-Za-z0-9_]{1,15}$'),
      entry('usernames', 'sixteen_chars_xx', 'The `usernames` query parameter value [sixteen_chars_xx] does not match ^[A-Za-z0-9_]{1,15}$'),
    ));
    const many = Array.from({ length: 101 }, (_, i) => `u${i}`).join(',');
    assertExact(await get('/2/users/by', { usernames: many }), 400,
      invalid(entry('usernames', many, 'The number of values in the `usernames` query parameter list [101] is not between 1 and 100')));
    assertExact(await get('/2/users/by'), 400, invalid({ parameters: { usernames: [] }, message: 'The `usernames` query parameter can not be empty' }));
  });

  test('path ids and usernames', async () => {
    for (const bad of ['abc', '12345678901234567890', '0']) {
      assertExact(await get(`/2/users/${bad}`), 400, invalid(entry('id', bad, `The \`id\` query parameter value [${bad}] is not valid`)));
    }
    assertExact(await get('/2/users/by/username/sixteen_chars_xx'), 400,
      invalid(entry('username', 'sixteen_chars_xx', 'The `username` query parameter value [sixteen_chars_xx] does not match ^[A-Za-z0-9_]{1,15}$')));
    const e = await failure(ana.client.v2.userByUsername('bad-name'), 400);
    assert.equal((e.data as any).errors[0].parameters.username[0], 'bad-name');
  });

  test('several failures are reported together, in one 400', async () => {
    const r = await get('/2/users', [['ids', 'abc'], ['user.fields', 'foo'], ['bar', '1']]);
    assert.equal(r.status, 400, r.text);
    assert.deepEqual(r.json.errors.map((e: { message: string }) => e.message).sort(), [
      `The \`user.fields\` query parameter value [foo] is not one of [${USER_FIELDS}]`,
      'The `ids` query parameter value [abc] is not valid',
      'The query parameter [bar] is not one of [ids,expansions,tweet.fields,user.fields]',
    ].sort());
    const l = await get(`/2/users/x1/followers`, { max_results: '0', pagination_token: '!', expansions: 'x' });
    assert.deepEqual(Object.keys(l.json.errors.reduce((acc: object, e: { parameters: object }) => ({ ...acc, ...e.parameters }), {})).sort(),
      ['expansions', 'id', 'max_results', 'pagination_token']);
  });
});

describe('routes', () => {
  const NOT_FOUND = '{"title":"Not Found","type":"about:blank","status":404,"detail":"Not Found"}';

  test('an unknown /2 path or method is the 404 problem (§5.3), with or without credentials', async () => {
    for (const [method, path] of [['GET', '/2/nope'], ['GET', `/2/users/${idOf(bob)}/likes_of_doom`], ['GET', '/2/tweets'], ['DELETE', '/2/users/me'],
      ['POST', `/2/users/${idOf(ana)}/followers`], ['GET', `/2/users/${idOf(ana)}/following/${idOf(bob)}`]] as const) {
      for (const auth of [{ user: ana }, { none: true as const }]) {
        const r = await call(h, method, path, auth);
        assertExact(r, 404, NOT_FOUND);
        assert.equal(r.headers.get('content-type'), 'application/problem+json');
      }
    }
  });

  test('a /2/users/<word> path X defines and roost does not serve is an unknown route, not a bad id', async () => {
    for (const word of ['public_keys', 'personalized_trends', 'reposts_of_me']) {
      for (const auth of [{ user: ana }, { bearer: h.app.bearerToken! }]) {
        assertExact(await call(h, 'GET', `/2/users/${word}`, auth), 404, NOT_FOUND);
      }
    }
    // a word X does not define is still a bad id
    assert.equal((await get('/2/users/nothing_here')).status, 400);
  });
});
