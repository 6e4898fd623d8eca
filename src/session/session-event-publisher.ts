import { Inject, Injectable, Logger } from '@nestjs/common';
import { SESSION_OPTIONS, SESSION_STORE } from './session.constants';
import { SessionEndReason, sessionRef } from './session-live-events';
import type { ResolvedSessionOptions } from './session.options';
import { hasEventBus, SessionEventBus, SessionStore } from './stores/session-store';

/**
 * Tells every instance what happened to a session (with `liveEvents` on and a store that can
 * broadcast). One message per event, sent before the request that caused it answers, so that
 * one client's requests are heard in their order. A failed publish is logged, never a request
 * failure: listeners also re-check a session at its expiry (see LiveSessions).
 */
@Injectable()
export class SessionEventPublisher {
  private readonly logger = new Logger('Session');
  private readonly bus?: SessionEventBus;

  constructor(
    @Inject(SESSION_OPTIONS) options: ResolvedSessionOptions,
    @Inject(SESSION_STORE) store: SessionStore,
  ) {
    if (options.liveEvents && hasEventBus(options.store))
      this.bus = store as SessionStore & SessionEventBus;
  }

  /** Whether events are published at all (callers skip building them otherwise). */
  get enabled(): boolean {
    return this.bus !== undefined;
  }

  changed(id: string, attributes: Iterable<string>): Promise<void> | undefined {
    return this.send({ type: 'changed', session: sessionRef(id), attributes: [...attributes] });
  }

  rotated(oldId: string, newId: string): Promise<void> | undefined {
    return this.send({ type: 'rotated', session: sessionRef(oldId), to: sessionRef(newId) });
  }

  ended(id: string, reason: SessionEndReason): Promise<void> | undefined {
    return this.send({ type: 'ended', session: sessionRef(id), reason });
  }

  private send(event: object): Promise<void> | undefined {
    if (!this.bus) return undefined;
    return this.bus.publish(JSON.stringify(event)).catch((err: unknown) => {
      this.logger.warn(`Session event not published: ${String(err)}`);
    });
  }
}
