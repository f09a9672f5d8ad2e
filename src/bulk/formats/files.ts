// Reading and writing graph files: gzip by content on the way in, by name on the way out; "-" is stdin/stdout.
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

const GZIP_MAGIC = [0x1f, 0x8b];

export async function openInput(path: string): Promise<Readable> {
  if (path === '-') return process.stdin;
  const head = Buffer.alloc(2);
  const fh = await open(path, 'r');
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  return head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1] ? raw.pipe(createGunzip()) : raw;
}

/** A text sink that honours back-pressure, so an export never holds more than a buffer in memory. */
export class Output {
  private readonly sink: Writable;
  private readonly file: Writable | null;

  constructor(path: string) {
    this.file = path === '-' ? null : createWriteStream(path);
    const gz = path.endsWith('.gz') ? createGzip() : null;
    if (gz) gz.pipe(this.file ?? process.stdout);
    this.sink = gz ?? this.file ?? process.stdout;
  }

  async write(text: string): Promise<void> {
    if (!this.sink.write(text)) await once(this.sink, 'drain');
  }

  async close(): Promise<void> {
    if (this.sink === process.stdout) return;
    this.sink.end();
    await finished(this.file ?? this.sink);
  }
}

export class BadLineError extends Error {
  constructor(readonly file: string, readonly line: number, readonly reason: string) {
    super(`${file}:${line}: ${reason}`);
  }
}

export type OnError = 'skip' | 'fail';

/** Bad lines: fatal on the first (the default), or reported and skipped. */
export class BadLines {
  readonly skipped: BadLineError[] = [];

  constructor(private readonly file: string, private readonly mode: OnError, private readonly report: (e: BadLineError) => void) {}

  add(line: number, reason: string): void {
    const err = new BadLineError(this.file, line, reason);
    if (this.mode === 'fail') throw err;
    this.skipped.push(err);
    this.report(err);
  }
}
