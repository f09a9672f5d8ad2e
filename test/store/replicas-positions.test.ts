// A caller's last write position, as every process sees it: WAL positions compare exactly, the
// greater of two racing writes wins in Redis whatever order they land in, and with Redis gone a
// user's reads go to the primary (its last write may have gone through another process).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CallerPositions } from '../../src/store/replicas/caller-positions.js';
import { lsnFromKey, lsnKey, parseLsn, PRIMARY_ONLY } from '../../src/store/replicas/lsn.js';
import { RedisLink, type Log } from '../../src/shared-state/redis.js';
import { deleteRedisKeys, TEST_REDIS } from '../support/backend.js';
import { freePort } from '../support/free-port.js';

const PREFIX = `roost-test:positions_${process.pid}:`;
const quiet: Log = { warn: () => undefined, info: () => undefined };
const links: RedisLink[] = [];
after(async () => {
  for (const l of links) await l.close();
  if (TEST_REDIS) await deleteRedisKeys(TEST_REDIS, PREFIX);
});

async function link(url: string): Promise<RedisLink> {
  const l = await RedisLink.open(url, { prefix: PREFIX, log: quiet, waitMs: 300 });
  links.push(l);
  return l;
}

describe('WAL positions', () => {
  it('parse PostgreSQL text exactly, past 2^53, and keep their order as fixed-width keys', () => {
    assert.equal(parseLsn('16/B374D848'), 0x16b374d848n);
    assert.equal(parseLsn('FFFFFFFF/FFFFFFFF'), 2n ** 64n - 1n);
    assert.throws(() => parseLsn('16-B374D848'), /not a WAL position/);
    const a = parseLsn('9/FFFFFFFF');
    const b = parseLsn('A/0');
    assert.ok(lsnKey(a) < lsnKey(b), 'text order is number order');
    assert.equal(lsnFromKey(lsnKey(b)), b);
  });
});

describe('caller positions across processes', { skip: !TEST_REDIS && 'ROOST_TEST_REDIS is not set' }, () => {
  it('keep the greater of two writes, whichever process notes it last', async () => {
    const [a, b, c] = [new CallerPositions(5000, await link(TEST_REDIS!)), new CallerPositions(5000, await link(TEST_REDIS!)),
      new CallerPositions(5000, await link(TEST_REDIS!))];
    const user = 2n ** 60n + 7n;
    await a.note(user, parseLsn('1/2000'));
    await b.note(user, parseLsn('1/1000')); // an earlier commit whose position arrived late
    assert.equal(await c.need(user), parseLsn('1/2000'), 'a third process sees the later write');
    assert.equal(await b.need(user), parseLsn('1/2000'));
    assert.equal(await c.need(user + 1n), null, 'a user with no write reads any replica');
  });

  it('send a user to the primary while Redis is unreachable', async () => {
    const positions = new CallerPositions(5000, await link(`redis://127.0.0.1:${await freePort()}`));
    assert.equal(await positions.need(42n), PRIMARY_ONLY);
    await positions.note(42n, parseLsn('0/10')); // answered from memory, no error
  });
});
