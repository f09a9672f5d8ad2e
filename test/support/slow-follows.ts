// Holds every follow for a while before it runs, so a test can stop the server while follows
// are being served.
import type { Graph } from '../../src/graph/graph.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves `started(n)` once n follows have begun (and are being held for `holdMs`). */
export function slowFollows(graph: Graph, holdMs: number): { started(n: number): Promise<void> } {
  const follow = graph.follow.bind(graph);
  let entered = 0;
  graph.follow = async (...args) => {
    entered++;
    await sleep(holdMs);
    return follow(...args);
  };
  return {
    async started(n) {
      while (entered < n) await sleep(5);
    },
  };
}
