// Sends a batch of bodies in lanes: a lane's items go one after another, in the order given;
// up to `width` lanes go side by side. Once an item fails (or `may` says stop) no lane starts
// another item, and the run says the lowest event seq left undelivered, where a cursor stops.

/** An item of a lane: the event it delivers and the lane it belongs to. */
export interface Laned {
  seq: bigint;
  lane: string;
}

export interface LaneRun {
  outcome: 'delivered' | 'failed' | 'busy';
  /** the lowest seq not delivered (failed, or never sent); null when every item went */
  undone: bigint | null;
  /** the first error `send` threw (that item counts as failed) */
  error: Error | null;
}

/**
 * `may` is asked before each item (false: stop, 'busy'); `send` answers whether the item was
 * delivered.
 */
export async function sendInLanes<T extends Laned>(
  items: readonly T[], width: number, may: () => Promise<boolean>, send: (item: T) => Promise<boolean>,
): Promise<LaneRun> {
  const lanes = new Map<string, T[]>();
  for (const it of items) {
    const lane = lanes.get(it.lane);
    if (lane) lane.push(it);
    else lanes.set(it.lane, [it]);
  }
  const queue = [...lanes.values()];
  const run: LaneRun = { outcome: 'delivered', undone: null, error: null };
  const halt = (seq: bigint, why: 'failed' | 'busy') => {
    if (run.outcome === 'delivered') run.outcome = why;
    if (run.undone === null || seq < run.undone) run.undone = seq;
  };
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const it of lane) {
        if (run.outcome !== 'delivered' || !await may()) {
          halt(it.seq, 'busy');
          break;
        }
        try {
          if (await send(it)) continue;
        } catch (err) {
          run.error ??= err as Error;
        }
        halt(it.seq, 'failed');
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, queue.length) }, worker));
  return run;
}
