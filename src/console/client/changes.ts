// Live pages without polling: one EventSource on /_roost/changes while a page that wants it is
// shown. The server names what changed (graph, usage, faults, clock, state); the page re-fetches
// only what shows it. A refresh never runs twice at once: a change during one runs it once more
// after. After a dropped connection comes back, every refresh runs (changes may have been missed).
export type ChangeKind = 'graph' | 'usage' | 'faults' | 'clock' | 'state';
const KINDS: readonly ChangeKind[] = ['graph', 'usage', 'faults', 'clock', 'state'];

type Refresh = () => Promise<unknown>;
let handlers: Partial<Record<ChangeKind, () => void>> = {};
let source: EventSource | null = null;

function serial(run: Refresh): () => void {
  let running = false;
  let again = false;
  const go = async () => {
    running = true;
    do {
      again = false;
      await run().catch(() => undefined); // each page shows its own failures
    } while (again);
    running = false;
  };
  return () => {
    if (running) again = true;
    else void go();
  };
}

/** The page shown now refreshes on these kinds (one refresh may serve several). */
export function watchChanges(on: Partial<Record<ChangeKind, Refresh>>): void {
  const wrapped = new Map<Refresh, () => void>();
  handlers = {};
  for (const k of KINDS) {
    const f = on[k];
    if (!f) continue;
    if (!wrapped.has(f)) wrapped.set(f, serial(f));
    handlers[k] = wrapped.get(f);
  }
  if (source) return;
  source = new EventSource('/_roost/changes');
  let opened = false;
  source.addEventListener('open', () => {
    if (opened) for (const f of new Set(Object.values(handlers))) f();
    opened = true;
  });
  for (const k of KINDS) source.addEventListener(k, () => handlers[k]?.());
}

/** Closes the stream when a page is left. */
export function stopChanges(): void {
  source?.close();
  source = null;
  handlers = {};
}
