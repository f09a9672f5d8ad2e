// Runs in a worker thread on a connection of its own, so copying the WAL back into the database
// (and the fsyncs that go with it) never blocks the event loop or a request's COMMIT.
// Plain JavaScript: a worker thread does not inherit the TypeScript loader the CLI registers.
import { parentPort, workerData } from 'node:worker_threads';
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';

const { path, synchronous, intervalMs, idleMs, truncateBytes, lastCommit } = workerData;
const lastCommitMs = new Float64Array(lastCommit);
const db = new Database(path);
db.pragma(`synchronous = ${synchronous}`);
// TRUNCATE waits for the writer; waiting long would stall the writer's next BEGIN behind it.
db.pragma('busy_timeout = 100');

function wal() {
  try {
    return statSync(`${path}-wal`);
  } catch {
    return { size: 0, mtimeMs: 0 };
  }
}

function checkpoint() {
  const { size, mtimeMs } = wal();
  if (size === 0) return;
  // Idle means no commit by any process: under `serve --workers N` the others write the same WAL.
  const idle = Date.now() - Math.max(lastCommitMs[0], mtimeMs) >= idleMs;
  // PASSIVE copies what it can without waiting for anyone; once all of the WAL is copied the
  // writer starts it over from the top, so it stays the size of a few batches. TRUNCATE also
  // gives the file's space back: done when writes pause, or when the WAL grew large anyway.
  const mode = idle || size > truncateBytes ? 'TRUNCATE' : 'PASSIVE';
  try {
    db.pragma(`wal_checkpoint(${mode})`);
  } catch {
    // SQLITE_BUSY: the writer or another checkpoint holds the lock; the next tick tries again.
  }
}

const timer = setInterval(checkpoint, intervalMs);
parentPort.on('message', (msg) => {
  if (msg !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage('stopped');
});
