import type { SessionStore } from '../../src/session';

/** A real store that also counts the calls made to it, to prove when none are made. */
export function countingStore(store: SessionStore): { store: SessionStore; calls: string[] } {
  const calls: string[] = [];
  const counted = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: counted, calls };
}
