// A reader of one of the console's Server-Sent Events streams (/_roost/requests/stream,
// /_roost/deliveries/stream, /_roost/changes): `event(name)` answers the data of the next event
// of that name; `drain(ms)` drops whatever has come and comes within ms.
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_TOKEN } from './emulator.js';

export interface EventStream {
  status: number;
  contentType: string | null;
  /** The parsed `data:` of the next `name` event; rejects when the stream ends first. */
  event(name: string): Promise<any>;
  /** Drops what was received, and what arrives in the next `ms`. */
  drain(ms: number): Promise<void>;
  close(): void;
}

export async function openEventStream(url: string, token = ADMIN_TOKEN): Promise<EventStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  // One read in flight at a time: a read outlived by a drain's timer is taken up by the next call.
  let reading: ReturnType<typeof reader.read> | null = null;
  const more = async (ms = Infinity): Promise<void> => {
    reading ??= reader.read();
    const r = ms === Infinity ? await reading : await Promise.race([reading, sleep(ms).then(() => null)]);
    if (r === null) return;
    reading = null;
    if (r.done) throw new Error('the stream ended');
    buffer += decoder.decode(r.value, { stream: true });
  };
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    async event(name) {
      for (;;) {
        const m = new RegExp(`event: ${name}\\ndata: (.*)\\n\\n`).exec(buffer);
        if (m) {
          buffer = buffer.slice(m.index + m[0].length);
          return JSON.parse(m[1]!);
        }
        await more();
      }
    },
    async drain(ms) {
      const end = Date.now() + ms;
      for (let left = ms; left > 0; left = end - Date.now()) await more(left);
      buffer = '';
    },
    close: () => abort.abort(),
  };
}
