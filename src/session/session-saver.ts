import { ConflictException } from '@nestjs/common';
import { deepFreeze } from './deep-freeze';
import { HttpSession } from './http-session';
import { PRINCIPAL_ATTRIBUTE } from './session.constants';
import { SessionCreator } from './session-creator';
import { ResolvedSessionOptions } from './session.options';
import { SessionStore, SessionWrite, WriteResult } from './stores/session-store';

/** Saves: the end-of-request delta (or expiry refresh) and the compare-and-set `update`. */
export class SessionSaver {
  private readonly store: SessionStore;

  constructor(
    private readonly options: ResolvedSessionOptions,
    private readonly creator: SessionCreator,
  ) {
    this.store = options.store;
  }

  /**
   * One write at most: the deferred changes, or the expiry refresh when it is due.
   * Undefined when there is nothing to save (no promise for a read-only request).
   */
  commit(session: HttpSession): Promise<void> | undefined {
    if (session.detached) return undefined;
    const id = session.id;
    if (!id) return session.changes.writesAny() ? this.creator.create(session) : undefined;
    if (session.changes.isEmpty && !this.touchDue(session)) return undefined;
    return this.save(session, id);
  }

  private async save(session: HttpSession, id: string): Promise<void> {
    await this.saved(session, await this.store.write(id, this.delta(session)));
  }

  /**
   * Compare-and-set of one attribute. If it fails, its staged value is dropped: the end of the
   * request must not save it without the comparison.
   */
  async update(
    session: HttpSession,
    name: string,
    fn: (current: unknown) => unknown,
  ): Promise<unknown> {
    try {
      return await this.compareAndSet(session, name, fn);
    } catch (err) {
      session.refresh(name, session.saved.attributes.get(name) ?? null);
      throw err;
    }
  }

  private async compareAndSet(
    session: HttpSession,
    name: string,
    fn: (current: unknown) => unknown,
  ): Promise<unknown> {
    for (let attempt = 0; attempt < this.options.updateAttempts; attempt++) {
      const before = session.saved.attributes.get(name) ?? null;
      const next = fn(before === null ? undefined : deepFreeze(JSON.parse(before)));
      session.stage(name, next === undefined ? null : JSON.stringify(next));
      const id = session.id;
      if (!id) {
        if (session.changes.writesAny()) await this.creator.create(session);
        return session.get(name);
      }
      if (session.changes.get(name) === undefined) return session.get(name); // unchanged
      const result = await this.store.write(id, this.delta(session, { name, json: before }));
      if (result.status === 'conflict') {
        session.refresh(name, result.current);
        continue;
      }
      await this.saved(session, result);
      if (result.status === 'ok') return session.get(name);
    }
    throw new ConflictException(`Too many concurrent updates of session attribute '${name}'`);
  }

  /**
   * Applies a write's result to the session: saved (and indexed under a principal it set), or
   * 'gone' (deleted meanwhile: never resurrected, what follows starts a new session).
   */
  private async saved(session: HttpSession, result: WriteResult): Promise<void> {
    if (result.status !== 'ok') return session.forget(this.options.timeoutSeconds);
    const principal = session.changes.get(PRINCIPAL_ATTRIBUTE);
    session.wasSaved();
    await this.creator.indexPrincipal(session, principal);
  }

  private touchDue(session: HttpSession): boolean {
    return Date.now() - session.lastAccessedTime >= this.options.touchIntervalSeconds * 1_000;
  }

  private delta(session: HttpSession, expect?: SessionWrite['expect']): SessionWrite {
    return {
      lastAccessedTime: Date.now(),
      maxInactiveInterval: session.maxInactiveInterval,
      changes: session.changes.entries(),
      expect,
    };
  }
}
