import { Counter, Histogram, Registry } from 'prom-client';
import { SessionEvents } from './session.events';
import type {
  PrincipalIndex,
  RateCounter,
  SessionEventBus,
  SessionRecord,
  SessionStore,
  SessionWrite,
  WriteResult,
} from './stores/session-store';

/**
 * The store as the module uses it when metrics are on: every operation's latency and failures
 * measured, then delegated. The optional capabilities are only called when the inner store has
 * them (the module checks the store it was given).
 */
export class MeteredSessionStore
  implements SessionStore, PrincipalIndex, RateCounter, SessionEventBus
{
  private readonly latency: Histogram<'operation'>;
  private readonly errors: Counter<'operation'>;
  private readonly inner: SessionStore & Partial<PrincipalIndex & RateCounter & SessionEventBus>;

  constructor(inner: SessionStore, registry: Registry) {
    this.inner = inner;
    this.latency = new Histogram({
      name: 'session_store_operation_seconds',
      help: 'Session store operation latency',
      labelNames: ['operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'session_store_errors_total',
      help: 'Session store operations that failed',
      labelNames: ['operation'],
      registers: [registry],
    });
  }

  get kind(): string {
    return this.inner.kind;
  }

  load(id: string): Promise<SessionRecord | null> {
    return this.timed('load', this.inner.load(id));
  }

  write(id: string, change: SessionWrite): Promise<WriteResult> {
    return this.timed('write', this.inner.write(id, change));
  }

  delete(id: string): Promise<boolean> {
    return this.timed('delete', this.inner.delete(id));
  }

  index(principal: string, id: string, ttlSeconds: number): Promise<void> {
    return this.timed('index', this.inner.index!(principal, id, ttlSeconds));
  }

  unindex(principal: string, id: string): Promise<void> {
    return this.timed('unindex', this.inner.unindex!(principal, id));
  }

  findByPrincipal(principal: string): Promise<string[]> {
    return this.timed('findByPrincipal', this.inner.findByPrincipal!(principal));
  }

  hit(bucket: string, windowMs: number, amount?: number): Promise<number> {
    return this.timed('hit', this.inner.hit!(bucket, windowMs, amount));
  }

  publish(message: string): Promise<void> {
    return this.timed('publish', this.inner.publish!(message));
  }

  subscribe(listener: (message: string) => void): void {
    this.inner.subscribe!(listener);
  }

  ping(): Promise<void> {
    return this.timed('ping', this.inner.ping());
  }

  onExpired(listener: (id: string) => void): void {
    this.inner.onExpired(listener);
  }

  ready(timeoutMs: number): Promise<boolean> {
    return this.inner.ready(timeoutMs);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private timed<T>(operation: string, call: Promise<T>): Promise<T> {
    const end = this.latency.startTimer({ operation });
    return call.then(
      (value) => (end(), value),
      (err: unknown) => {
        end();
        this.errors.inc({ operation });
        throw err;
      },
    );
  }
}

/** Counts session lifecycle events into the registry. */
export function countSessionEvents(events: SessionEvents, registry: Registry): void {
  const lifecycle = new Counter({
    name: 'sessions_total',
    help: 'Sessions created, deleted, expired, ended by their absolute lifetime, revoked by their owner',
    labelNames: ['event'],
    registers: [registry],
  });
  for (const event of ['created', 'deleted', 'expired', 'outlived', 'revoked'] as const) {
    events.on(event, () => lifecycle.inc({ event }));
  }
  const listings = new Counter({
    name: 'session_listings_total',
    help: 'Times a user listed their sessions',
    registers: [registry],
  });
  events.on('listed', () => listings.inc());
}
