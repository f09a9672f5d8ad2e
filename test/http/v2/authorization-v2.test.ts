// Object-level rules of the v2 surface, over the endpoint table: every route whose path names
// the acting user refuses another user's id with Twitter's exact 400, under OAuth 1.0a and
// OAuth 2.0 user tokens alike, and leaves that user's follows, blocks and mutes as they were;
// a protected account's lists stay hidden (docs/security.md §Authorization).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KNOWN_SCOPES } from '../../../src/auth/oauth2-tokens.js';
import { V2_ENDPOINTS } from '../../../src/http/v2/endpoints.js';
import { authorizationCast } from '../../support/authorization-fixture.js';
import type { Harness, TestUser } from '../../support/harness.js';
import { assertExact, call, idOf, invalid, notCaller, oauth2, partial, startV2Harness, text, type Auth } from '../../support/v2.js';

let h: Harness;
/** the cast of test/support/authorization-fixture.ts */
let pat: TestUser, fan: TestUser, req: TestUser, eve: TestUser, blk: TestUser, mtd: TestUser, pub: TestUser;
let eveOAuth2: string;

before(async () => {
  h = await startV2Harness();
  ({ pat, fan, req, eve, blk, mtd, pub } = await authorizationCast(h, 'bz'));
  eveOAuth2 = (await oauth2(h, eve, KNOWN_SCOPES)).token;
});
after(() => h.close());

/** What pat's graph holds, read as pat: it must not change whatever eve sends. */
async function patsGraph(): Promise<string> {
  const ids = async (path: string) => ((await call(h, 'GET', path, { user: pat })).json.data ?? []).map((u: { id: string }) => u.id);
  return JSON.stringify({
    followers: await ids(`/2/users/${idOf(pat)}/followers`), following: await ids(`/2/users/${idOf(pat)}/following`),
    blocking: await ids(`/2/users/${idOf(pat)}/blocking`), muting: await ids(`/2/users/${idOf(pat)}/muting`),
  });
}

describe("routes whose path names the acting user, given someone else's id", () => {
  const acting = V2_ENDPOINTS.filter((e) => e.callerParam !== undefined);

  test('the table has them all: blocking and muting lists, and every write', () => {
    assert.deepEqual(acting.map((e) => `${e.method} ${e.path}`).sort(), [
      'DELETE /2/users/:source_user_id/blocking/:target_user_id', 'DELETE /2/users/:source_user_id/following/:target_user_id',
      'DELETE /2/users/:source_user_id/muting/:target_user_id', 'GET /2/users/:id/blocking', 'GET /2/users/:id/muting',
      'POST /2/users/:id/blocking', 'POST /2/users/:id/following', 'POST /2/users/:id/muting',
    ]);
  });

  for (const e of acting) {
    test(`${e.method} ${e.path}: 400 "must be the same as the authenticating user", and pat's graph is untouched`, async () => {
      const before = await patsGraph();
      const target = e.path.includes('/following') ? fan : e.path.includes('/blocking') ? blk : mtd;
      // the DELETE routes name pat as the source; fan's follow of pat is the edge a forged unfollow would cut
      const source = e.method === 'DELETE' && e.path.includes('/following') ? fan : pat;
      const path = e.path.replace(':id', idOf(source)).replace(':source_user_id', idOf(source))
        .replace(':target_user_id', idOf(e.path.includes('/following') ? pat : target));
      const param = e.callerParam!;
      for (const [who, auth, callerId] of [['OAuth 1.0a', { user: eve }, idOf(eve)], ['OAuth 2.0', { bearer: eveOAuth2 }, idOf(eve)]] as [string, Auth, string][]) {
        const r = await call(h, e.method, path, auth, e.method === 'POST' ? { json: { target_user_id: idOf(pub) } } : {});
        assert.equal(r.headers.get('content-type'), 'application/problem+json', who);
        assertExact(r, 400, invalid(notCaller(param, idOf(source), callerId)));
      }
      assert.equal(await patsGraph(), before);
    });
  }

  test('the same routes with the caller\'s own id work (the refusal is about the id, not the route)', async () => {
    const own = await call(h, 'GET', `/2/users/${idOf(eve)}/blocking`, { bearer: eveOAuth2 });
    assert.equal(own.status, 200, own.text);
    const f = await call(h, 'POST', `/2/users/${idOf(eve)}/following`, { bearer: eveOAuth2 }, { json: { target_user_id: idOf(pub) } });
    assertExact(f, 200, '{"data":{"following":true,"pending_follow":false}}');
    assertExact(await call(h, 'DELETE', `/2/users/${idOf(eve)}/following/${idOf(pub)}`, { bearer: eveOAuth2 }), 200, '{"data":{"following":false}}');
  });
});

describe("a protected account's followers and following", () => {
  const hidden = (id: string) => text({ errors: [partial('not-authorized', 'id', id)], meta: { result_count: 0 } });

  for (const list of ['followers', 'following']) {
    test(`${list}: a stranger (OAuth 1.0a or 2.0), a pending requester and an app see only the Authorization Error`, async () => {
      for (const auth of [{ user: eve }, { bearer: eveOAuth2 }, { user: req }, { bearer: h.app.bearerToken! }] as Auth[]) {
        assertExact(await call(h, 'GET', `/2/users/${idOf(pat)}/${list}`, auth, { query: { 'user.fields': 'protected' } }), 200, hidden(idOf(pat)));
      }
    });
  }

  test('the owner and an accepted follower see them', async () => {
    for (const u of [pat, fan]) {
      const followers = await call(h, 'GET', `/2/users/${idOf(pat)}/followers`, { user: u });
      assert.deepEqual(followers.json.data.map((x: { id: string }) => x.id), [idOf(fan)]);
      const following = await call(h, 'GET', `/2/users/${idOf(pat)}/following`, { user: u });
      assert.deepEqual(following.json.data.map((x: { id: string }) => x.id), [idOf(pub)]);
    }
  });

  test("connection_status never shows a third party's blocks, mutes or requests", async () => {
    const r = await call(h, 'GET', '/2/users', { user: eve }, { query: { ids: [pat, blk, mtd, req].map(idOf).join(','), 'user.fields': 'connection_status' } });
    assert.equal(r.status, 200, r.text);
    for (const u of r.json.data as { id: string; connection_status?: string[] }[]) assert.deepEqual(u.connection_status ?? [], [], u.id);
  });
});
