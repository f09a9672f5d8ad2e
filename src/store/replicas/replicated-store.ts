// The Store port over a primary and its streaming replicas. Writes and transactions go to the
// primary; after one, the caller's WAL position is noted. The graph and user reads an API request
// makes go to a replica in rotation that has replayed its caller's last write, else to the
// primary; a read a replica fails is made again on the primary. Reads outside an API request
// (authentication, tokens, passwords, commands) always read the primary.
import type { Store } from '../types.js';
import type { CallerPositions } from './caller-positions.js';
import { PRIMARY_ONLY } from './lsn.js';
import { currentReadScope, type ReadScope } from './read-scope.js';
import type { ReplicaSet } from './replica-set.js';

/** Reads a replica may answer: pages, lookups, relations, counts and search. */
const REPLICA_READS = new Set<string>([
  'userById', 'userByScreenName', 'usersByIds', 'usersByScreenNames', 'searchUsers',
  'page', 'pageJson', 'relations', 'noRetweetIds', 'countEdges', 'countUsers',
]);

/** Writes after which the caller's own reads must see the primary's state. */
const WRITES = new Set<string>([
  'transaction', 'insertApp', 'setBearer', 'insertToken', 'revokeToken', 'updateApp',
  'insertOAuth2Token', 'revokeOAuth2Token', 'setPasswordHash',
]);

type Method = (...args: unknown[]) => Promise<unknown>;

export function replicatedStore(primary: Store, replicas: ReplicaSet, positions: CallerPositions): Store {
  const wrappers = new Map<string, Method>();

  const read = (name: string, fn: Method): Method => async (...args) => {
    const scope = currentReadScope();
    if (!scope) return fn.apply(primary, args);
    const replica = await replicas.pick(await needOf(scope));
    if (!replica) return fn.apply(primary, args);
    try {
      return await replica.read((store) => (Reflect.get(store, name) as Method).apply(store, args));
    } catch (err) {
      replicas.failed(replica, err);
      return fn.apply(primary, args);
    }
  };

  const write = (fn: Method): Method => async (...args) => {
    const result = await fn.apply(primary, args);
    const scope = currentReadScope();
    if (scope?.userId != null) {
      // Unknown position (the primary did not say): this caller reads the primary for a while.
      const lsn = await replicas.walPosition().catch(() => PRIMARY_ONLY);
      if (scope.need == null || lsn > scope.need) scope.need = lsn;
      await positions.note(scope.userId, lsn);
    }
    return result;
  };

  const needOf = async (scope: ReadScope) => {
    if (scope.need === undefined) scope.need = scope.userId === null ? null : await positions.need(scope.userId);
    return scope.need;
  };

  return new Proxy(primary, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      if (prop === 'close') return async () => {
        try {
          await replicas.close();
        } finally {
          await target.close();
        }
      };
      if (!REPLICA_READS.has(prop) && !WRITES.has(prop)) return value;
      let w = wrappers.get(prop);
      if (!w) wrappers.set(prop, (w = REPLICA_READS.has(prop) ? read(prop, value as Method) : write(value as Method)));
      return w;
    },
  });
}
