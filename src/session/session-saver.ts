import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { decodeAttribute, PRINCIPAL, SessionAttribute } from './session-attribute';
import { deepFreeze } from './deep-freeze';
import { SESSION_OPTIONS, SESSION_STORE } from './session.constants';
import { SessionCreator } from './session-creator';
import { SessionEventPublisher } from './session-event-publisher';
import { ttlSeconds } from './session-lifetime';
import { SessionPrincipals } from './session.principals';
import type { SessionState } from './session-state';
import type { ResolvedSessionOptions } from './session.options';
import type { SessionStore, SessionWrite, WriteResult } from './stores/session-store';

/** Saves: the end-of-request delta (or expiry refresh) and the compare-and-set `update`. */
@Injectable()
export class SessionSaver {
  constructor(
    @Inject(SESSION_OPTIONS) private readonly options: ResolvedSessionOptions,
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    private readonly creator: SessionCreator,
    private readonly principals: SessionPrincipals,
    private readonly publisher: SessionEventPublisher,
  ) {}

  /**
   * One write at most: the deferred changes, or the expiry refresh when it is due.
   * Undefined when there is nothing to save (no promise for a read-only request).
   */
  commit(state: SessionState): Promise<void> | undefined {
    if (state.detached) return undefined;
    const id = state.id;
    if (!id) return state.changes.writesAny() ? this.create(state) : undefined;
    if (state.changes.isEmpty && !this.touchDue(state)) return undefined;
    return this.save(state, id);
  }

  /**
   * Compare-and-set of one attribute. If it fails, its staged value is dropped: the end of the
   * request must not save it without the comparison.
   */
  async update<T>(
    state: SessionState,
    attribute: SessionAttribute<T>,
    fn: (current: T | undefined) => T | undefined,
  ): Promise<T | undefined> {
    try {
      return await this.compareAndSet(state, attribute, fn);
    } catch (err) {
      state.changes.reset(attribute.name, state.record.attributes.get(attribute.name) ?? null);
      throw err;
    }
  }

  private async compareAndSet<T>(
    state: SessionState,
    attribute: SessionAttribute<T>,
    fn: (current: T | undefined) => T | undefined,
  ): Promise<T | undefined> {
    const { name } = attribute;
    for (let attempt = 0; attempt < this.options.updateAttempts; attempt++) {
      const before = state.record.attributes.get(name) ?? null;
      const next = fn(this.usable(attribute, before));
      state.stage(name, next === undefined ? null : JSON.stringify(next));
      const id = state.id;
      if (!id) {
        if (state.changes.writesAny()) await this.create(state);
        return state.read(attribute);
      }
      if (state.changes.get(name) === undefined) return state.read(attribute); // unchanged
      const result = await this.store.write(id, this.delta(state, { name, json: before }));
      if (result.status === 'conflict') {
        state.changes.reset(name, result.current);
        continue;
      }
      await this.applied(state, result);
      if (result.status === 'ok') return state.read(attribute);
    }
    throw new ConflictException(`Too many concurrent updates of session attribute '${name}'`);
  }

  /** The stored value `fn` starts from: an unusable one counts as absent (and is replaced). */
  private usable<T>(attribute: SessionAttribute<T>, json: string | null): T | undefined {
    if (json === null) return undefined;
    const checked = decodeAttribute(attribute, json);
    return checked.ok ? (deepFreeze(checked.value) as T) : undefined;
  }

  private async create(state: SessionState): Promise<void> {
    const principal = state.changes.get(PRINCIPAL.name);
    const names = this.publisher.enabled ? [...state.changes.entries().keys()] : [];
    await this.creator.create(state);
    await this.principals.saved(state, principal);
    if (names.length > 0) await this.publisher.changed(state.id!, names);
  }

  // The per-request save: a promise chain that only waits for more when there is more to do.
  private save(state: SessionState, id: string): Promise<void> {
    return this.store.write(id, this.delta(state)).then((result) => this.applied(state, result));
  }

  /**
   * A write's result: saved (and indexed under a principal it set), or 'gone' (deleted
   * meanwhile: never resurrected, what follows starts a new session).
   */
  private applied(state: SessionState, result: WriteResult): Promise<void> | undefined {
    if (result.status !== 'ok') return void state.forget(this.options.timeoutSeconds);
    const principal = state.changes.get(PRINCIPAL.name);
    const names = this.publisher.enabled ? [...state.changes.entries().keys()] : [];
    state.saved();
    if (!principal && names.length === 0) return undefined;
    return this.announce(state, principal, names);
  }

  private async announce(
    state: SessionState,
    principal: string | null | undefined,
    names: string[],
  ): Promise<void> {
    await this.principals.saved(state, principal);
    if (names.length > 0) await this.publisher.changed(state.id!, names);
  }

  private touchDue(state: SessionState): boolean {
    return Date.now() - state.record.lastAccessedTime >= this.options.touchIntervalSeconds * 1_000;
  }

  private delta(state: SessionState, expect?: SessionWrite['expect']): SessionWrite {
    return {
      lastAccessedTime: Date.now(),
      maxInactiveInterval: state.record.maxInactiveInterval,
      ttlSeconds: ttlSeconds(state.record, this.options.maxLifetimeSeconds),
      changes: state.changes.entries(),
      expect,
    };
  }
}
