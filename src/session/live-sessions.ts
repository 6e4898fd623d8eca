import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { DeepReadonly } from './deep-freeze';
import { PRINCIPAL, SessionAttribute } from './session-attribute';
import { SessionChanges } from './session-changes';
import { SESSION_OPTIONS, SESSION_STORE } from './session.constants';
import { SessionEvents } from './session.events';
import { outlived, ttlSeconds } from './session-lifetime';
import { decodeEvent, LiveSessionEvent, sessionRef } from './session-live-events';
import { rethrowForHttp } from './session-store-failure';
import type { ResolvedSessionOptions } from './session.options';
import { hasEventBus, SessionEventBus, SessionRecord, SessionStore } from './stores/session-store';

const logger = new Logger('Session');

/** A session seen from outside a request: read only, with the same checks as `HttpSession.read`. */
export class LiveSession {
  private readonly values: SessionChanges;

  constructor(
    /** `LiveSessions.ref(id)`: what events name it by. */
    readonly ref: string,
    private readonly record: SessionRecord,
    /** Epoch ms when it expires unless used: check it again then (`touch` or `load`). */
    readonly expiresAt: number,
  ) {
    this.values = new SessionChanges(record.attributes);
  }

  get principal(): string | undefined {
    return this.read(PRINCIPAL);
  }

  /** Absent, or stored but unusable: undefined (an HTTP request will remove the bad value). */
  read<T>(attribute: SessionAttribute<T>): DeepReadonly<T> | undefined {
    return this.values.value(attribute, (problem) =>
      logger.warn(`Session attribute '${attribute.name}' unusable: ${problem}`),
    ) as DeepReadonly<T> | undefined;
  }
}

/**
 * Hooks for live channels (e.g. a WebSocket gateway): a session by id outside a request, its
 * expiry refreshed while the channel is in use, and what happens to sessions on every instance.
 * Store failures reject with SessionStoreUnavailableException.
 */
@Injectable()
export class LiveSessions implements OnModuleInit {
  private readonly listeners = new Set<(event: LiveSessionEvent) => void>();

  constructor(
    @Inject(SESSION_OPTIONS) private readonly options: ResolvedSessionOptions,
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    private readonly events: SessionEvents,
  ) {}

  onModuleInit(): void {
    if (this.options.liveEvents && hasEventBus(this.options.store)) {
      (this.store as SessionStore & SessionEventBus).subscribe((message) => {
        const event = decodeEvent(message);
        if (event) this.deliver(event);
      });
    }
    // Each instance hears expiries from the store itself (keyspace notifications).
    this.events.on('expired', (id) =>
      this.deliver({ type: 'ended', session: sessionRef(id), reason: 'expired' }),
    );
  }

  /** What events call a session: the channel compares it with `ref(its session id)`. */
  ref(id: string): string {
    return sessionRef(id);
  }

  /** Every event from now on, from every instance; returns the unsubscribe function. */
  on(listener: (event: LiveSessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The session, or null when it is unknown, expired, past its lifetime or malformed. */
  async load(id: string): Promise<LiveSession | null> {
    const record = await this.store.load(id).catch(rethrowForHttp);
    return record ? this.live(id, record) : null;
  }

  /**
   * Keeps a session in use alive, as a request would: its expiry is refreshed at most once per
   * touch interval (a write only then). Null when it has ended.
   */
  async touch(id: string): Promise<LiveSession | null> {
    const record = await this.store.load(id).catch(rethrowForHttp);
    const now = Date.now();
    if (!record || outlived(record, this.options.maxLifetimeSeconds, now)) return null;
    if (now - record.lastAccessedTime < this.options.touchIntervalSeconds * 1_000) {
      return this.live(id, record);
    }
    const { maxInactiveInterval } = record;
    const ttl = ttlSeconds(record, this.options.maxLifetimeSeconds, now);
    const change = {
      lastAccessedTime: now,
      maxInactiveInterval,
      ttlSeconds: ttl,
      changes: new Map(),
    };
    const result = await this.store.write(id, change).catch(rethrowForHttp);
    return result.status === 'ok' ? this.live(id, { ...record, lastAccessedTime: now }) : null;
  }

  private live(id: string, record: SessionRecord): LiveSession | null {
    const lifetime = this.options.maxLifetimeSeconds;
    if (outlived(record, lifetime)) return null;
    const idle = record.lastAccessedTime + record.maxInactiveInterval * 1_000;
    const end = lifetime > 0 ? Math.min(idle, record.creationTime + lifetime * 1_000) : idle;
    return new LiveSession(sessionRef(id), record, end);
  }

  private deliver(event: LiveSessionEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
