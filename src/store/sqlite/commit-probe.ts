// Whether another connection may have committed, asked once per request (read-cache.ts), for
// less than PRAGMA data_version costs. data_version answers exactly but opens a read transaction
// on the WAL index, ~8-10 µs of locking system calls, a tenth of a signed users/show. Every
// commit of any connection rewrites the WAL-index header at the start of the -shm file (the
// commit is not finished, nor acknowledged, before it has), so while those bytes are as they
// were at the last ask, nobody has committed since and data_version cannot have moved: one
// pread of 96 bytes answers. When they differ (another process's commit, this process's own,
// a checkpoint), data_version is asked as before. The header is read before data_version is,
// so a commit landing between the two is seen by the next ask.
import { closeSync, openSync, readSync } from 'node:fs';

/** Both copies of the WAL-index header (WalIndexHdr, 48 bytes each). */
const HEADER_BYTES = 96;

export class CommitProbe {
  private fd: number | null = null;
  private readonly last = Buffer.alloc(HEADER_BYTES);
  private readonly now = Buffer.alloc(HEADER_BYTES);
  private version: bigint | null = null;

  /** `dbPath` null (`:memory:`): no -shm file, every ask goes to data_version. */
  constructor(dbPath: string | null, private readonly dataVersion: () => bigint) {
    if (dbPath === null) return;
    try {
      this.fd = openSync(`${dbPath}-shm`, 'r');
    } catch {
      this.fd = null; // no shared-memory file (another locking mode): ask data_version
    }
  }

  /** PRAGMA data_version, or what it answered last while nobody has committed since. */
  get(): bigint {
    let whole = false;
    if (this.fd !== null) {
      whole = readSync(this.fd, this.now, 0, HEADER_BYTES, 0) === HEADER_BYTES;
      if (whole && this.version !== null && this.now.equals(this.last)) return this.version;
      if (whole) this.now.copy(this.last);
    }
    const version = this.dataVersion();
    // A short read proves nothing: the next ask goes to data_version again.
    this.version = whole ? version : null;
    return version;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
