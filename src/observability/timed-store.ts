// The Store port with a stopwatch on every call: database time per operation (userById, page,
// transaction, ...) without touching the adapters. A transaction is timed as a whole.
import type { Store } from '../store/types.js';

export function timedStore(store: Store, observe: (kind: string, seconds: number) => void): Store {
  // One wrapper per method, made on first use: store calls are on every request's path.
  const wrappers = new Map<string, (...args: unknown[]) => unknown>();
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'close') return value;
      const known = wrappers.get(prop);
      if (known) return known;
      if (prop === 'refresh') { // no database work to time
        const bound = (value as () => void).bind(target);
        wrappers.set(prop, bound);
        return bound;
      }
      const wrapper = (...args: unknown[]) => {
        const start = performance.now();
        const done = () => observe(prop, (performance.now() - start) / 1000);
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (result instanceof Promise) return result.finally(done);
        done();
        return result;
      };
      wrappers.set(prop, wrapper);
      return wrapper;
    },
  });
}
