import { Inject, Injectable } from '@nestjs/common';
import { SESSION_OPTIONS, SESSION_RATE_COUNTER, SESSION_STORE } from './session.constants';
import { TooManyNewSessionsException } from './session.errors';
import { SessionEvents } from './session.events';
import { newSessionId } from './session-id';
import { ttlSeconds } from './session-lifetime';
import type { SessionState } from './session-state';
import type { ResolvedSessionOptions } from './session.options';
import type { RateCounter, SessionRecord, SessionStore } from './stores/session-store';

const CREATION_WINDOW_MS = 60_000;

/** New sessions: the per-address creation cap, a fresh id, the first write. */
@Injectable()
export class SessionCreator {
  constructor(
    @Inject(SESSION_OPTIONS) private readonly options: ResolvedSessionOptions,
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    @Inject(SESSION_RATE_COUNTER) private readonly counter: RateCounter | null,
    private readonly events: SessionEvents,
  ) {
    if (options.maxNewSessionsPerMinute > 0 && !counter) {
      throw new Error(`maxNewSessionsPerMinute needs a store with a rate counter (${store.kind})`);
    }
  }

  /** Stores a session that has no id yet, with its changes, under a fresh id. */
  async create(state: SessionState): Promise<void> {
    await this.checkCreationRate(state.client.address);
    state.movedTo(await this.insert(state.record, state.changes.merged(), Date.now()));
  }

  /** Writes a whole session under a fresh id (retrying the astronomically unlikely clash). */
  async insert(
    record: SessionRecord,
    attributes: Map<string, string>,
    creationTime: number,
  ): Promise<string> {
    for (;;) {
      const id = newSessionId();
      const result = await this.store.write(id, {
        create: { creationTime },
        lastAccessedTime: Date.now(),
        maxInactiveInterval: record.maxInactiveInterval,
        ttlSeconds: ttlSeconds({ ...record, creationTime }, this.options.maxLifetimeSeconds),
        changes: attributes,
      });
      if (result.status !== 'ok') continue;
      this.events.emit('created', id);
      return id;
    }
  }

  private async checkCreationRate(clientKey: string): Promise<void> {
    const limit = this.options.maxNewSessionsPerMinute;
    if (limit <= 0 || !this.counter) return;
    if ((await this.counter.hit(`creations:${clientKey}`, CREATION_WINDOW_MS)) > limit) {
      throw new TooManyNewSessionsException();
    }
  }
}
