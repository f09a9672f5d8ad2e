// The freshness check's fast path: while the WAL-index header is unchanged, the last answer of
// PRAGMA data_version stands without asking it; any commit, by another connection or process or
// by this one, sends the next check to data_version, which moves exactly when another committed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CommitProbe } from '../../src/store/sqlite/commit-probe.js';

const dir = mkdtempSync(join(tmpdir(), 'roost-commit-probe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function wal(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.defaultSafeIntegers(true);
  return db;
}

describe('commit probe', () => {
  it('asks data_version only after a commit, and sees every commit of another connection or process', () => {
    const path = join(dir, 'a.db');
    const own = wal(path);
    own.exec('CREATE TABLE t (x INTEGER)');
    const other = wal(path);
    const version = own.prepare('PRAGMA data_version').pluck();
    let asks = 0;
    const probe = new CommitProbe(path, () => { asks++; return version.get() as bigint; });
    const first = probe.get();
    for (let i = 0; i < 100; i++) assert.equal(probe.get(), first);
    assert.equal(asks, 1, 'nobody committed: data_version was not asked again');

    other.exec('INSERT INTO t VALUES (1)');
    const second = probe.get();
    assert.notEqual(second, first, "another connection's commit is seen");
    assert.equal(asks, 2);

    own.exec('INSERT INTO t VALUES (2)');
    assert.equal(probe.get(), second, "this connection's own commit does not move data_version");
    assert.equal(asks, 3, '... but it was asked, since the header moved');
    assert.equal(probe.get(), second);
    assert.equal(asks, 3);

    // Another process, through its own connection.
    execFileSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(path)});d.exec('INSERT INTO t VALUES (3)');d.close()`],
      { cwd: new URL('../..', import.meta.url).pathname });
    assert.notEqual(probe.get(), second, "another process's commit is seen");
    probe.close();
    other.close();
    own.close();
  });

  it('without a shared-memory file asks data_version every time', () => {
    const db = new Database(':memory:');
    let asks = 0;
    const probe = new CommitProbe(null, () => { asks++; return db.prepare('PRAGMA data_version').pluck().get() as bigint; });
    probe.get();
    probe.get();
    assert.equal(asks, 2);
    db.close();
  });
});
