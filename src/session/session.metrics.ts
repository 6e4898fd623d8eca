import { Counter, Histogram, Registry } from 'prom-client';
import { SessionEvents } from './session.events';
import { SessionStore } from './stores/session-store';

type StoreMethod = Exclude<keyof SessionStore, 'kind' | 'onExpired' | 'ready' | 'close'>;
const TIMED: StoreMethod[] = [
  'load',
  'write',
  'delete',
  'index',
  'unindex',
  'findByPrincipal',
  'hit',
  'ping',
];

/** Counts session lifecycle events into the registry. */
export function countSessionEvents(events: SessionEvents, registry: Registry): void {
  const lifecycle = new Counter({
    name: 'sessions_total',
    help: 'Sessions created, deleted and expired',
    labelNames: ['event'],
    registers: [registry],
  });
  for (const event of ['created', 'deleted', 'expired'] as const) {
    events.on(event, () => lifecycle.inc({ event }));
  }
}

/** Wraps a store so every operation's latency and failures are measured. */
export function instrumentStore(store: SessionStore, registry: Registry): SessionStore {
  const latency = new Histogram({
    name: 'session_store_operation_seconds',
    help: 'Session store operation latency',
    labelNames: ['operation'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'session_store_errors_total',
    help: 'Session store operations that failed',
    labelNames: ['operation'],
    registers: [registry],
  });
  const wrapped = Object.create(store) as SessionStore;
  for (const operation of TIMED) {
    const original = (store[operation] as (...args: unknown[]) => Promise<unknown>).bind(store);
    (wrapped as unknown as Record<string, unknown>)[operation] = async (...args: unknown[]) => {
      const end = latency.startTimer({ operation });
      try {
        return await original(...args);
      } catch (err) {
        errors.inc({ operation });
        throw err;
      } finally {
        end();
      }
    };
  }
  return wrapped;
}
