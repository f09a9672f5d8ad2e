// OAuth 1.0a nonces kept across restarts without Redis. Each process appends every new nonce
// digest and its expiry to a file of its own (one write(2) of 24 bytes, no fsync), and a starting
// process loads every unexpired record from the directory. A write that returned is in the
// kernel's page cache, so it survives the process being killed (kill -9 included); a power loss
// can drop what was written in the last seconds before it (the kernel writes dirty pages back
// within about 30 s). Files are per process so that workers never write one file together;
// a file is deleted once everything in it has expired and no live process writes it.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DIGEST_BYTES } from './nonce-store.js';

const RECORD = DIGEST_BYTES + 8;
const SUFFIX = '.nonces';
/** A process starts a new file this often, so old ones can be deleted whole. */
const ROTATE_MS = 10 * 60 * 1000;

export interface JournalRecord {
  digest: Buffer;
  expiresAt: number;
}

interface FileInfo {
  path: string;
  /** the latest expiry in it: the file can go after this */
  lastExpiry: number;
  pid: number;
}

const pidOf = (name: string): number => Number(/^(\d+)-/.exec(name)?.[1] ?? 0);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class NonceJournal {
  private fd: number | null = null;
  private current: FileInfo | null = null;
  private openedAt = 0;
  /** files this process may delete once expired: its own, and those of processes that have died */
  private readonly retired: FileInfo[] = [];
  private readonly buffer = Buffer.alloc(RECORD);

  private constructor(private readonly dir: string) {}

  /** Opens the directory and returns the journal with every unexpired record found in it. */
  static open(dir: string, now: number): { journal: NonceJournal; records: JournalRecord[] } {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const journal = new NonceJournal(dir);
    const records: JournalRecord[] = [];
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(SUFFIX)) continue;
      const path = join(dir, name);
      let data: Buffer;
      try {
        data = readFileSync(path);
      } catch {
        continue; // deleted by its owner meanwhile
      }
      let lastExpiry = 0;
      // A record cut short by a crash is ignored: only whole records count.
      for (let at = 0; at + RECORD <= data.length; at += RECORD) {
        const expiresAt = data.readDoubleLE(at + DIGEST_BYTES);
        lastExpiry = Math.max(lastExpiry, expiresAt);
        if (expiresAt > now) records.push({ digest: Buffer.from(data.subarray(at, at + DIGEST_BYTES)), expiresAt });
      }
      // This process has written nothing yet: a file with its pid is a predecessor's (containers reuse pids).
      const pid = pidOf(name);
      if (pid === process.pid || !alive(pid)) journal.retired.push({ path, lastExpiry, pid });
    }
    journal.deleteExpired(now);
    return { journal, records };
  }

  /** Appends one record; returns once the kernel has it. */
  append(digest: Buffer, expiresAt: number, now: number): void {
    if (this.fd === null || now - this.openedAt >= ROTATE_MS) this.rotate(now);
    digest.copy(this.buffer, 0, 0, DIGEST_BYTES);
    this.buffer.writeDoubleLE(expiresAt, DIGEST_BYTES);
    writeSync(this.fd!, this.buffer);
    this.current!.lastExpiry = Math.max(this.current!.lastExpiry, expiresAt);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private rotate(now: number): void {
    this.close();
    if (this.current) this.retired.push(this.current);
    const path = join(this.dir, `${process.pid}-${randomBytes(6).toString('hex')}${SUFFIX}`);
    this.fd = openSync(path, 'a', 0o600);
    this.current = { path, lastExpiry: 0, pid: process.pid };
    this.openedAt = now;
    this.deleteExpired(now);
  }

  private deleteExpired(now: number): void {
    for (let i = this.retired.length - 1; i >= 0; i--) {
      const f = this.retired[i]!;
      if (f.lastExpiry > now) continue;
      try {
        unlinkSync(f.path);
      } catch {
        // already gone
      }
      this.retired.splice(i, 1);
    }
  }

  /** Bytes on disk in the directory (for tests and operators). */
  size(): number {
    let total = 0;
    for (const name of readdirSync(this.dir)) if (name.endsWith(SUFFIX)) total += statSync(join(this.dir, name)).size;
    return total;
  }
}
