// A reader of one of the emulator's Server-Sent Events streams (/_roost/requests/stream,
// /_roost/deliveries/stream): `event(name)` answers the data of the next event of that name.
import { ADMIN_TOKEN } from './emulator.js';

export interface EventStream {
  status: number;
  contentType: string | null;
  /** The parsed `data:` of the next `name` event; rejects when the stream ends first. */
  event(name: string): Promise<any>;
  close(): void;
}

export async function openEventStream(url: string, token = ADMIN_TOKEN): Promise<EventStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
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
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => abort.abort(),
  };
}
