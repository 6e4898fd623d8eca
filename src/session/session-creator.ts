import { HttpSession } from './http-session';
import { PRINCIPAL_ATTRIBUTE } from './session.constants';
import { SessionCreationRateExceeded } from './session.errors';
import { SessionEvents } from './session.events';
import { SessionPrincipals } from './session.principals';
import { newSessionId } from './session-id';
import { ResolvedSessionOptions } from './session.options';
import { SessionRecord, SessionStore } from './stores/session-store';

const CREATION_WINDOW_MS = 60_000;

/** New sessions: the per-address creation cap, a fresh id, the first write, the principal index. */
export class SessionCreator {
  private readonly store: SessionStore;

  constructor(
    private readonly options: ResolvedSessionOptions,
    private readonly events: SessionEvents,
    private readonly principals: SessionPrincipals,
  ) {
    this.store = options.store;
  }

  /** Stores a session that has no id yet, with its changes, under a fresh id. */
  async create(session: HttpSession): Promise<void> {
    await this.checkCreationRate(session.clientKey);
    const principal = session.changes.get(PRINCIPAL_ATTRIBUTE);
    const id = await this.insert(session.saved, session.changes.merged(), Date.now());
    session.movedTo(id);
    await this.indexPrincipal(session, principal);
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
        changes: attributes,
      });
      if (result.status !== 'ok') continue;
      this.events.emit('created', id);
      return id;
    }
  }

  /** After a save that set the principal attribute (`json`): index the session under it. */
  async indexPrincipal(session: HttpSession, json: string | null | undefined): Promise<void> {
    if (!json || !session.id) return;
    await this.principals.add(JSON.parse(json) as string, session.id, session.maxInactiveInterval);
  }

  private async checkCreationRate(clientKey: string): Promise<void> {
    const limit = this.options.maxNewSessionsPerMinute;
    if (limit <= 0) return;
    if ((await this.store.hit(`creations:${clientKey}`, CREATION_WINDOW_MS)) > limit) {
      throw new SessionCreationRateExceeded();
    }
  }
}
