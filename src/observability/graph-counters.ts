// Counts follows, unfollows, blocks and mutes as they commit: each Graph write resolves only
// after its transaction has, so a resolved call is a committed write.
import type { Graph } from '../graph/graph.js';
import type { GraphAction } from './metrics.js';

const ACTIONS: readonly GraphAction[] = ['follow', 'unfollow', 'block', 'unblock', 'mute', 'unmute'];

export function countGraphWrites(graph: Graph, count: (action: GraphAction) => void): void {
  for (const action of ACTIONS) {
    const write = graph[action].bind(graph) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(graph, {
      [action]: async (...args: unknown[]) => {
        const result = await write(...args);
        count(action);
        return result;
      },
    });
  }
}
