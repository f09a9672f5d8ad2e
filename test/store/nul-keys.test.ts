// A key or search term holding U+0000 (a client may send %00) matches nothing on every backend,
// rather than failing: PostgreSQL text cannot hold it, SQLite simply finds no such row.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from './backends.js';

for (const backend of backends()) {
  describe(`keys with U+0000: ${backend.name}`, () => {
    after(() => backend.cleanup());

    it('find nothing, and the rest of a batch is still found', async () => {
      const s = await backend.fresh();
      await s.transaction((tx) => tx.insertUser({ id: 1n, screenName: 'alice', name: 'Alice', createdAt: 1 }));
      const nul = 'ali\u0000ce';
      assert.equal(await s.userByScreenName(nul), undefined);
      assert.deepEqual([...(await s.usersByScreenNames([nul, 'ALICE'])).keys()], ['alice']);
      assert.deepEqual(await s.searchUsers(['al', '\u0000'], 10), []);
      assert.equal((await s.searchUsers(['al'], 10)).length, 1);
      assert.equal(await s.appByConsumerKey(nul), undefined);
      assert.equal(await s.appByBearer(nul), undefined);
      assert.equal(await s.appByClientId(nul), undefined);
      assert.equal(await s.tokenByValue(nul), undefined);
      assert.equal(await s.revokeToken(nul), false);
      assert.equal(await s.oauth2Token(nul), undefined);
      assert.equal(await s.revokeOAuth2Token(nul), false);
    });
  });
}
