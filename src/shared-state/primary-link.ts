// What the workers of `serve --workers N` must agree on (rate-limit windows, follow quotas, OAuth
// nonces, single-use codes), kept by the primary process when there is no Redis. A worker calls
// the primary over the cluster IPC channel; the primary runs each call against its memory stores,
// one at a time in arrival order, so a nonce is recorded once and a code taken once across all
// workers. Calls made in one turn of a worker's event loop travel in one message, and so do their
// replies. Arguments and answers are JSON (strings and numbers): no bigint crosses.

type Call = [id: number, op: string, args: unknown[]];
type Reply = [id: number, ok: boolean, value: unknown];

interface CallsMessage { roost: 'state'; calls: Call[] }
interface RepliesMessage { roost: 'state-replies'; replies: Reply[] }

const isCalls = (m: unknown): m is CallsMessage => typeof m === 'object' && m !== null && (m as CallsMessage).roost === 'state';
const isReplies = (m: unknown): m is RepliesMessage => typeof m === 'object' && m !== null && (m as RepliesMessage).roost === 'state-replies';

/** The IPC side of a process: `process` in a worker. */
export interface Channel {
  connected: boolean;
  send?(message: unknown, callback?: (err: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
}

/** A worker's end: asks the primary. */
export class PrimaryLink {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private queued: Call[] = [];

  constructor(private readonly channel: Channel = process) {
    channel.on('message', (m) => {
      if (!isReplies(m)) return;
      for (const [id, ok, value] of m.replies) {
        const w = this.waiting.get(id);
        if (!w) continue;
        this.waiting.delete(id);
        if (ok) w.resolve(value);
        else w.reject(new Error(`primary: ${String(value)}`));
      }
    });
    // Calls the primary will never answer fail now rather than hold their requests open.
    channel.on('disconnect', () => {
      for (const w of this.waiting.values()) w.reject(new Error('the primary process is gone'));
      this.waiting.clear();
    });
  }

  call<T>(op: string, args: unknown[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.next++;
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      if (this.queued.push([id, op, args]) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const calls = this.queued;
    this.queued = [];
    const fail = (err: Error) => {
      for (const [id] of calls) {
        this.waiting.get(id)?.reject(err);
        this.waiting.delete(id);
      }
    };
    // A worker whose primary is gone is stopping (serve.ts): its last requests fail rather than wait.
    if (!this.channel.connected || !this.channel.send) return fail(new Error('the primary process is gone'));
    this.channel.send({ roost: 'state', calls } satisfies CallsMessage, (err) => { if (err) fail(err); });
  }
}

export type StateHandlers = Record<string, (...args: never[]) => unknown>;

/** A worker as the primary sees it. */
export interface WorkerEnd {
  isConnected(): boolean;
  send(message: unknown): boolean;
}

/**
 * The primary's end: answers one message of calls from a worker. Each call is run to its end
 * before the next starts (the handlers are memory stores), so answers never interleave.
 */
export async function answerCalls(handlers: StateHandlers, worker: WorkerEnd, message: unknown): Promise<boolean> {
  if (!isCalls(message)) return false;
  const replies: Reply[] = [];
  for (const [id, op, args] of message.calls) {
    const handler = handlers[op];
    try {
      if (!handler) throw new Error(`unknown call ${op}`);
      replies.push([id, true, await (handler as (...a: unknown[]) => unknown)(...args)]);
    } catch (err) {
      replies.push([id, false, err instanceof Error ? err.message : String(err)]);
    }
  }
  // A worker that died meanwhile is answered by nobody: its requests died with it.
  if (worker.isConnected()) worker.send({ roost: 'state-replies', replies } satisfies RepliesMessage);
  return true;
}
