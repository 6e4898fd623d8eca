import { Inject, Injectable } from '@nestjs/common';
import { HttpSession } from './http-session';
import { SessionActions } from './session-actions';
import { SESSION_OPTIONS, SESSION_STORE } from './session.constants';
import { SessionEvents } from './session.events';
import { outlived } from './session-lifetime';
import { SessionState } from './session-state';
import type { ResolvedSessionOptions } from './session.options';
import type { SessionRecord, SessionStore } from './stores/session-store';

/** A request's session: its state, and the HttpSession its handler sees. */
export interface LoadedSession {
  state: SessionState;
  face: HttpSession;
}

/** A request's session state, loaded from the store (or blank), with its HttpSession face. */
@Injectable()
export class SessionLoader {
  constructor(
    @Inject(SESSION_OPTIONS) private readonly options: ResolvedSessionOptions,
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    private readonly actions: SessionActions,
    private readonly events: SessionEvents,
  ) {}

  /** One store read when the client sent a well-formed id, none otherwise. */
  async open(
    requestedId: string | undefined,
    clientKey: string,
    userAgent = '',
  ): Promise<LoadedSession> {
    const record = requestedId ? await this.store.load(requestedId) : null;
    if (!record) return this.state(clientKey, userAgent, this.blankRecord());
    if (outlived(record, this.options.maxLifetimeSeconds)) {
      this.events.emit('outlived', requestedId!); // its TTL ends it in the store
      return this.state(clientKey, userAgent, this.blankRecord());
    }
    return this.state(clientKey, userAgent, record, requestedId);
  }

  /** A session that is not in the store and never will be: for optional use while it is down. */
  detached(clientKey: string): LoadedSession {
    return this.state(clientKey, '', this.blankRecord(), undefined, true);
  }

  private state(
    clientKey: string,
    userAgent: string,
    record: SessionRecord,
    id?: string,
    detached?: boolean,
  ): LoadedSession {
    const { maxSessionBytes } = this.options;
    const state = new SessionState(record, id, clientKey, userAgent, maxSessionBytes, detached);
    return { state, face: new HttpSession(state, this.actions) };
  }

  private blankRecord(): SessionRecord {
    const now = Date.now();
    return {
      creationTime: now,
      lastAccessedTime: now,
      maxInactiveInterval: this.options.timeoutSeconds,
      attributes: new Map(),
    };
  }
}
