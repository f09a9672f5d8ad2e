// A reader of GET /2/activity/stream over a plain HTTP connection: the status and headers, then
// each line as it arrives (JSON lines parsed, keep-alives counted), and control of the socket
// (pause it to play a slow reader).
import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';

export interface StreamLine {
  data: { event_type: string; event_uuid: string; filter: Record<string, string>; payload: Record<string, any>; tag?: string };
}

export interface ActivityStreamReader {
  status: number;
  headers: IncomingMessage['headers'];
  /** the whole body, for an answer that is not a stream (an error) */
  text(): Promise<string>;
  /** The next JSON line, waiting at most `ms`; undefined when none came or the stream ended. */
  next(ms?: number): Promise<StreamLine | undefined>;
  /** Every JSON line arriving within `ms`. */
  drain(ms: number): Promise<StreamLine[]>;
  keepAlives: number;
  ended: Promise<void>;
  pause(): void;
  resume(): void;
  close(): void;
}

export function openActivityStream(base: string, bearer: string, query: Record<string, string> = {}): Promise<ActivityStreamReader> {
  const url = new URL('/2/activity/stream', base);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${bearer}` }, agent: false }, (res) => {
      const lines: StreamLine[] = [];
      const waiters: (() => void)[] = [];
      let buffered = '';
      let raw = '';
      let done = false;
      const notify = () => { for (const w of waiters.splice(0)) w(); };
      const ended = new Promise<void>((r) => res.once('close', () => { done = true; notify(); r(); }));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffered += chunk;
        let at: number;
        while ((at = buffered.indexOf('\r\n')) >= 0) {
          const line = buffered.slice(0, at);
          buffered = buffered.slice(at + 2);
          if (line === '') reader.keepAlives++;
          else lines.push(JSON.parse(line) as StreamLine);
        }
        notify();
      });
      const reader: ActivityStreamReader = {
        status: res.statusCode!, headers: res.headers, keepAlives: 0, ended,
        text: async () => { await ended; return raw; },
        async next(ms = 2000) {
          const deadline = Date.now() + ms;
          while (lines.length === 0 && !done && Date.now() < deadline) {
            await new Promise<void>((r) => { const t = setTimeout(r, deadline - Date.now()); waiters.push(() => { clearTimeout(t); r(); }); });
          }
          return lines.shift();
        },
        async drain(ms) {
          await new Promise((r) => setTimeout(r, ms));
          return lines.splice(0);
        },
        pause: () => res.pause(),
        resume: () => res.resume(),
        close: () => { req.destroy(); },
      };
      resolve(reader);
    });
    req.on('error', (err) => reject(err));
    req.end();
  });
}

/** Asserts the next line is this event for this subscription filter (and tag). */
export async function expectEvent(r: ActivityStreamReader, type: string, source: string, target: string, tag?: string): Promise<StreamLine> {
  const line = await r.next();
  assert.ok(line, `expected ${type} ${source} -> ${target}, got nothing`);
  assert.equal(line.data.event_type, type);
  assert.equal(line.data.payload.source?.id, source, JSON.stringify(line));
  assert.equal(line.data.payload.target?.id, target, JSON.stringify(line));
  assert.equal(line.data.tag, tag);
  return line;
}
