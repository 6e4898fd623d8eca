import { HttpSession } from './http-session';
import { PRINCIPAL_ATTRIBUTE } from './session.constants';
import { SessionCreator } from './session-creator';
import { SessionPrincipals } from './session.principals';
import { ResolvedSessionOptions } from './session.options';
import { SessionStore } from './stores/session-store';

/** The two ways a session's id ends: it moves to a fresh one (login), or the session ends. */
export class SessionRotation {
  private readonly store: SessionStore;

  constructor(
    private readonly options: ResolvedSessionOptions,
    private readonly creator: SessionCreator,
    private readonly principals: SessionPrincipals,
  ) {
    this.store = options.store;
  }

  /** A full copy under a fresh id, then the old key deleted: no RENAME across cluster slots. */
  async changeId(session: HttpSession): Promise<string | undefined> {
    const oldId = session.id;
    if (!oldId) return undefined;
    const wasIndexed = session.saved.attributes.has(PRINCIPAL_ATTRIBUTE);
    const attributes = session.changes.merged();
    const newId = await this.creator.insert(session.saved, attributes, session.creationTime);
    if (!(await this.store.delete(oldId))) {
      // The old session ended meanwhile: the copy must not outlive it.
      await this.store.delete(newId);
      session.forget(this.options.timeoutSeconds);
      return undefined;
    }
    session.movedTo(newId);
    const principal = session.principal;
    if (principal) {
      const replacing = wasIndexed ? oldId : undefined; // an anonymous session was never indexed
      await this.principals.add(principal, newId, session.maxInactiveInterval, replacing);
    }
    return newId;
  }

  async invalidate(session: HttpSession): Promise<void> {
    if (session.id) await this.principals.destroy(session.id, session.principal);
    session.forget(this.options.timeoutSeconds, true);
  }
}
