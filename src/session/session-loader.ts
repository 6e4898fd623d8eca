import { Inject, Injectable } from '@nestjs/common';
import { HttpSession } from './http-session';
import { SessionActions } from './session-actions';
import { SESSION_OPTIONS, SESSION_STORE } from './session.constants';
import { SessionEvents } from './session.events';
import { outlived } from './session-lifetime';
import { SessionClient, SessionState } from './session-state';
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
  open(requestedId: string | undefined, client: SessionClient): Promise<LoadedSession> {
    if (!requestedId) return Promise.resolve(this.state(client, this.blankRecord()));
    // A plain promise chain, not an async function: this runs on every session request.
    return this.store.load(requestedId).then((record) => {
      if (!record) return this.state(client, this.blankRecord());
      if (outlived(record, this.options.maxLifetimeSeconds)) {
        this.events.emit('outlived', requestedId); // its TTL ends it in the store
        return this.state(client, this.blankRecord());
      }
      return this.state(client, record, requestedId);
    });
  }

  /** A session that is not in the store and never will be: for optional use while it is down. */
  detached(client: SessionClient): LoadedSession {
    return this.state(client, this.blankRecord(), undefined, true);
  }

  private state(
    client: SessionClient,
    record: SessionRecord,
    id?: string,
    detached?: boolean,
  ): LoadedSession {
    const { maxSessionBytes } = this.options;
    const state = new SessionState(record, id, client, maxSessionBytes, detached);
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
