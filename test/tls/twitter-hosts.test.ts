// SDKs that hard-code https://api.twitter.com reach roost unchanged: through the CONNECT proxy, or
// on the TLS port as a hosts-file line would send them, trusting roost's CA and no other root.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { get } from 'node:https';
import { createServer } from 'node:net';
import { connect } from 'node:tls';
import { after, before, test } from 'node:test';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { TwitterApi } from 'twitter-api-v2';
import { LEAF_NAMES } from '../../src/tls/hosts.js';
import { HostsFileAgent, startFrontHarness, TrustingProxyAgent, type FrontHarness } from '../support/twitter-front.js';

let h: FrontHarness;
before(async () => {
  h = await startFrontHarness({ proxyPort: 0 });
});
after(() => h.close());

/** A client as an application builds it: no redirect, only an agent. */
function client(h: FrontHarness, t: { token: string; secret: string }, httpAgent: TrustingProxyAgent | HostsFileAgent): TwitterApi {
  return new TwitterApi({ appKey: h.app.consumerKey, appSecret: h.app.consumerSecret, accessToken: t.token, accessSecret: t.secret }, { httpAgent });
}

/** The proxy's answer to `CONNECT target`. */
function connectThrough(proxyUrl: string, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(proxyUrl, { method: 'CONNECT', path: target });
    req.on('connect', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => resolve(res.statusCode ?? 0));
    req.on('error', reject);
    req.end();
  });
}

test('a twitter-api-v2 client calling https://api.twitter.com through the proxy gets roost\'s answers, signatures verified', async () => {
  const alice = await h.user('alice_tls', { name: 'Alice' });
  const bob = await h.user('bob_tls');
  const agent = new TrustingProxyAgent(h.server.proxyUrl!, h.ca);
  const c = client(h, alice, agent);

  const shown = await c.v1.get('users/show.json', { screen_name: 'bob_tls' });
  assert.equal(shown.id_str, bob.user.id.toString());
  const created = await c.v1.post('friendships/create.json', { screen_name: 'bob_tls' });
  assert.equal(created.screen_name, 'bob_tls');
  const ids = await c.v1.get('friends/ids.json', { stringify_ids: true });
  assert.deepEqual(ids.ids, [bob.user.id.toString()]);

  const me = await c.v2.me();
  assert.equal(me.data.id, alice.user.id.toString());
  assert.equal(me.data.username, 'alice_tls');
  const following = await c.v2.following(alice.user.id.toString());
  assert.deepEqual(following.data.map((u) => u.username), ['bob_tls']);
  agent.destroy();
});

test('the proxy refuses every other destination and forwards nothing', async () => {
  let reached = 0;
  const bystander = createServer((s) => {
    reached++;
    s.destroy();
  });
  await new Promise<void>((r) => bystander.listen(0, '127.0.0.1', r));
  const port = (bystander.address() as { port: number }).port;
  try {
    assert.equal(await connectThrough(h.server.proxyUrl!, `127.0.0.1:${port}`), 403);
    assert.equal(await connectThrough(h.server.proxyUrl!, `localhost:${port}`), 403);
    assert.equal(await connectThrough(h.server.proxyUrl!, 'example.com:443'), 403);
    assert.equal(await connectThrough(h.server.proxyUrl!, 'api.twitter.com:80'), 403);
    assert.equal(await connectThrough(h.server.proxyUrl!, 'api.twitter.com.evil.example:443'), 403);
    assert.equal(await connectThrough(h.server.proxyUrl!, 'api.x.com:443'), 200);
    const plain = await new Promise<number>((resolve, reject) => {
      request(h.server.proxyUrl!, { path: `http://127.0.0.1:${port}/` }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    assert.equal(plain, 403);
    assert.equal(reached, 0);
  } finally {
    bystander.close();
  }
});

test('a client trusting only the public roots refuses roost\'s certificate', async () => {
  const agent = new HttpsProxyAgent(h.server.proxyUrl!);
  const code = await new Promise<string>((resolve) => {
    get('https://api.twitter.com/1.1/users/show.json?screen_name=alice_tls', { agent }, (res) => {
      res.resume();
      resolve(`answered ${res.statusCode}`);
    }).on('error', (err: Error & { code?: string }) => resolve(err.code ?? err.message));
  });
  assert.match(code, /^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/);
});

test('serve --tls: a client sent to roost as a hosts-file line would send it verifies every Twitter name', async () => {
  const tls = await startFrontHarness({ tls: true }, h.caDir);
  try {
    assert.match(tls.url, /^https:\/\//);
    assert.equal(tls.ca, h.ca, 'the CA is created once and reused');
    assert.equal(statSync(`${h.caDir}/ca.key`).mode & 0o777, 0o600);
    const port = Number(new URL(tls.url).port);
    for (const servername of LEAF_NAMES) {
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port, servername, ca: tls.ca }, () => {
          resolve(s.authorized);
          s.destroy();
        }).on('error', reject);
      });
      assert.equal(authorized, true, servername);
    }
    const carol = await tls.user('carol_tls');
    const agent = new HostsFileAgent(port, tls.ca);
    const shown = await client(tls, carol, agent).v1.get('account/verify_credentials.json');
    assert.equal(shown.id_str, carol.user.id.toString());
    agent.destroy();
  } finally {
    await tls.close().catch(() => {});
  }
});

test('a stopping server ends a tunnel that never began its TLS handshake', { timeout: 30_000 }, async () => {
  const other = await startFrontHarness({ proxyPort: 0 }, h.caDir);
  const socket = await new Promise<Duplex>((resolve, reject) => {
    request(other.server.proxyUrl!, { method: 'CONNECT', path: 'api.twitter.com:443' })
      .on('connect', (res, s) => (res.statusCode === 200 ? resolve(s) : reject(new Error(`CONNECT answered ${res.statusCode}`))))
      .on('error', reject)
      .end();
  });
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  await other.close();
  await ended;
});
