// A log destination kept in memory: the server's log lines, parsed, for tests to read.
import { Writable } from 'node:stream';

export interface LogLine {
  msg: string;
  level: number;
  [field: string]: unknown;
}

export class LogLines extends Writable {
  readonly lines: LogLine[] = [];
  readonly text: string[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue;
      this.text.push(line);
      this.lines.push(JSON.parse(line) as LogLine);
    }
    done();
  }

  /** The request line of the request with this id; lines are written once the answer is sent. */
  async requestLine(reqId: string): Promise<LogLine> {
    for (let i = 0; i < 200; i++) {
      const found = this.lines.find((l) => l.msg === 'request' && l.reqId === reqId);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`no request line for ${reqId}`);
  }
}
