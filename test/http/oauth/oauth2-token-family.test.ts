// A refresh token presented after it was rotated means two parties hold the grant: roost cannot
// tell the client from the thief, so the whole family descending from that authorization dies
// (RFC 9700 §4.14.2), and so does a family whose refresh token is revoked (RFC 7009 §2.1).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AppRow } from '../../../src/store/types.js';
import type { Harness } from '../../support/harness.js';
import { assertV1Error } from '../../support/raw.js';
import { basic, send, type Reply } from '../../support/sign.js';
import { pkceAuthorize, PageAgent, userWithPassword, startWebApp, type CallbackServer, type WebAppSetting } from '../../support/sign-in.js';

let h: Harness;
let cb: CallbackServer;
let web: AppRow;
let setting: WebAppSetting;
before(async () => {
  setting = await startWebApp();
  ({ h, cb, web } = setting);
  await userWithPassword(h, 'alice');
});
after(() => setting.close());

const INVALID_TOKEN = { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' };

function token(path: string, form: Record<string, string>): Promise<Reply> {
  return send(`${h.url}${path}`, {
    method: 'POST',
    headers: { authorization: basic(web.clientId, web.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

/** Signs alice in through the pages, allows, and redeems the code: a new token family. */
async function authorize(): Promise<Reply> {
  const { path, verifier } = pkceAuthorize(web.clientId, cb.url('/callback'), 'tweet.read users.read offline.access');
  const agent = new PageAgent(h.url);
  const allowed = await agent.decide(await agent.signIn(path, 'alice'), 'allow');
  const code = new URL(allowed.location!).searchParams.get('code')!;
  const r = await token('/2/oauth2/token', { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: cb.url('/callback') });
  assert.equal(r.status, 200, r.text);
  return r;
}

const refresh = (refreshToken: string) => token('/2/oauth2/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
const verify = (access: string) => send(`${h.url}/2/users/me`, { headers: { authorization: `Bearer ${access}` } });

describe('refresh-token reuse revokes the family', () => {
  test('a rotated refresh token presented again kills every token of its authorization, and no other', async () => {
    const first = await authorize();
    const other = await authorize(); // the same user and client, another authorization
    const second = await refresh(first.json.refresh_token);
    assert.equal(second.status, 200, second.text);
    const third = await refresh(second.json.refresh_token);
    assert.equal(third.status, 200, third.text);
    assert.equal((await verify(third.json.access_token)).status, 200);

    // The thief (or the client) replays the first refresh token.
    const reused = await refresh(first.json.refresh_token);
    assert.equal(reused.status, 400);
    assert.deepEqual(reused.json, INVALID_TOKEN);

    for (const access of [first.json.access_token, second.json.access_token, third.json.access_token]) {
      const r = await verify(access);
      assert.equal(r.status, 401, r.text);
      assert.equal(r.json.title, 'Unauthorized');
    }
    assertV1Error(await send(`${h.url}/1.1/account/verify_credentials.json`, { headers: { authorization: `Bearer ${third.json.access_token}` } }), 401, 89);
    assert.deepEqual((await refresh(third.json.refresh_token)).json, INVALID_TOKEN, 'the newest refresh token died too');

    assert.equal((await verify(other.json.access_token)).status, 200, 'another authorization is untouched');
    assert.equal((await refresh(other.json.refresh_token)).status, 200);
  });

  test('revoking a refresh token revokes the access tokens of its grant', async () => {
    const first = await authorize();
    const second = await refresh(first.json.refresh_token);
    const revoked = await token('/2/oauth2/revoke', { token: second.json.refresh_token, token_type_hint: 'refresh_token' });
    assert.equal(revoked.text, '{"revoked":true}');
    assert.equal((await verify(second.json.access_token)).status, 401);
  });
});
