// The requests an emulator answered, newest last, so a test can assert what its client sent.
export interface LoggedRequest {
  method: string;
  path: string;
  /** screen name, or app name for app-only calls; null when unrecognised */
  caller: string | null;
  /** the app whose credentials were used; null when unrecognised */
  app: string | null;
  /** the route as declared (`/2/users/:id/followers`); the path when no route matched */
  route: string;
  /** 0: the connection was dropped by a fault rule */
  status: number;
  /** on the emulator's clock */
  at: string;
  /** the fault rule that answered, if any */
  fault: number | null;
}

export interface RequestFilter {
  method?: string;
  path?: string;
  caller?: string;
}

/** Enough for any one test; the oldest fall off first. */
const KEEP = 1000;

export class RequestLog {
  private entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > KEEP) this.entries.shift();
  }

  list(filter: RequestFilter = {}): LoggedRequest[] {
    return this.entries.filter((e) => (!filter.method || e.method === filter.method.toUpperCase())
      && (!filter.path || e.path === filter.path)
      && (!filter.caller || e.caller?.toLowerCase() === filter.caller.toLowerCase()));
  }

  clear(): void {
    this.entries = [];
  }
}
