import { Inject, Injectable } from '@nestjs/common';
import { PRINCIPAL } from './session-attribute';
import { SESSION_OPTIONS, SESSION_STORE } from './session.constants';
import { SessionCreator } from './session-creator';
import { SessionEventPublisher } from './session-event-publisher';
import { SessionPrincipals } from './session.principals';
import type { SessionState } from './session-state';
import type { ResolvedSessionOptions } from './session.options';
import type { SessionStore } from './stores/session-store';

/** The two ways a session's id ends: it moves to a fresh one (login), or the session ends. */
@Injectable()
export class SessionRotation {
  constructor(
    @Inject(SESSION_OPTIONS) private readonly options: ResolvedSessionOptions,
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    private readonly creator: SessionCreator,
    private readonly principals: SessionPrincipals,
    private readonly publisher: SessionEventPublisher,
  ) {}

  /** A full copy under a fresh id, then the old key deleted: no RENAME across cluster slots. */
  async rotate(state: SessionState): Promise<void> {
    const oldId = state.id;
    if (!oldId) return;
    const wasIndexed = state.record.attributes.has(PRINCIPAL.name);
    const attributes = state.changes.merged();
    const newId = await this.creator.insert(state.record, attributes, state.record.creationTime);
    if (!(await this.store.delete(oldId))) {
      // The old session ended meanwhile: the copy must not outlive it.
      await this.store.delete(newId);
      return state.forget(this.options.timeoutSeconds);
    }
    state.movedTo(newId);
    await this.principals.rotated(state, oldId, wasIndexed);
    await this.publisher.rotated(oldId, newId);
  }

  async invalidate(state: SessionState): Promise<void> {
    if (state.id) await this.principals.ended(state.id, state.read(PRINCIPAL), 'logout');
    state.forget(this.options.timeoutSeconds, true);
  }
}
