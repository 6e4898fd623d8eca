import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { deepFreeze } from './deep-freeze';
import { PRINCIPAL_ATTRIBUTE, HttpSession, SessionBackend, SessionState } from './http-session';
import { SESSION_OPTIONS } from './session.constants';
import { SessionCreationRateExceeded } from './session.errors';
import { SessionEvents } from './session.events';
import { SessionPrincipals } from './session.principals';
import { newSessionId } from './session-id';
import { ResolvedSessionOptions } from './session.options';
import { SessionRecord, SessionStore, SessionWrite } from './stores/session-store';

const CREATION_WINDOW_MS = 60_000;
const STARTUP_WAIT_MS = 5_000;

/** Loads and saves sessions; every store round trip of the module goes through here. */
@Injectable()
export class SessionManager
  implements SessionBackend, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly store: SessionStore;

  constructor(
    @Inject(SESSION_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly events: SessionEvents,
    private readonly principals: SessionPrincipals,
  ) {
    this.store = options.store;
    this.store.onExpired((id) => events.emit('expired', id));
  }

  /** One store read when the client sent a well-formed id, none otherwise. */
  async open(requestedId: string | undefined, clientKey: string): Promise<HttpSession> {
    const record = requestedId ? await this.store.load(requestedId) : null;
    const session = this.blank(clientKey);
    if (record) {
      session.state.id = requestedId;
      session.state.record = record;
    }
    return session;
  }

  private blank(clientKey: string): HttpSession {
    const state: SessionState = {
      record: this.blankRecord(),
      pending: new Map(),
      parsed: new Map(),
      maxInactiveChanged: false,
      idChanged: false,
      invalidated: false,
      detached: false,
      persistent: false,
      clientKey,
    };
    return new HttpSession(this, this.options.maxSessionBytes, state);
  }

  /** A session that is not in the store and never will be: for optional use while it is down. */
  detached(clientKey: string): HttpSession {
    const session = this.blank(clientKey);
    session.state.detached = true;
    return session;
  }

  /** After the handler completed: saves deferred changes, or refreshes expiry when due. */
  async commit(session: HttpSession): Promise<void> {
    const { state } = session;
    if (state.detached) return;
    const changed = state.pending.size > 0 || state.maxInactiveChanged;
    if (!state.id) {
      if ([...state.pending.values()].some((json) => json !== null)) await this.create(session);
      return;
    }
    const touchDue =
      Date.now() - state.record.lastAccessedTime >= this.options.touchIntervalSeconds * 1_000;
    if (!changed && !touchDue) return;
    const result = await this.store.write(state.id, this.delta(state, new Map()));
    if (result.status === 'ok') await this.afterWrite(session);
    // 'gone': deleted meanwhile (logout elsewhere); late changes must not resurrect it.
    else this.reset(state);
  }

  async update(
    session: HttpSession,
    name: string,
    fn: (current: unknown) => unknown,
  ): Promise<unknown> {
    const { state } = session;
    for (let attempt = 0; attempt < this.options.updateAttempts; attempt++) {
      const before = state.record.attributes.get(name) ?? null;
      const current: unknown = before === null ? undefined : deepFreeze(JSON.parse(before));
      const next = fn(current);
      const json = next === undefined ? null : JSON.stringify(next);
      if (json === before && state.id) return session.get(name);
      session.checkSize(name, json);
      state.pending.set(name, json);
      state.parsed.delete(name);
      if (!state.id) {
        if (json !== null) await this.create(session);
        return session.get(name);
      }
      const result = await this.store.write(state.id, this.delta(state, new Map([[name, before]])));
      if (result.status === 'ok') {
        await this.afterWrite(session);
        return session.get(name);
      }
      state.pending.delete(name);
      if (result.status === 'conflict') {
        const fresh = result.current.get(name);
        if (fresh === null || fresh === undefined) state.record.attributes.delete(name);
        else state.record.attributes.set(name, fresh);
      } else {
        this.reset(state); // gone: continue in a new session rather than resurrect the old one
      }
    }
    throw new ConflictException(`Too many concurrent updates of session attribute '${name}'`);
  }

  async invalidate(session: HttpSession): Promise<void> {
    const { state } = session;
    if (state.id) await this.principals.destroy(state.id, session.principal);
    this.reset(state);
    state.invalidated = true;
  }

  async changeId(session: HttpSession): Promise<string | undefined> {
    const { state } = session;
    const oldId = state.id;
    if (!oldId) return undefined;
    const wasIndexed = state.record.attributes.has(PRINCIPAL_ATTRIBUTE);
    const attributes = new Map(state.record.attributes);
    for (const [name, json] of state.pending) {
      if (json === null) attributes.delete(name);
      else attributes.set(name, json);
    }
    const newId = await this.insert(state, attributes);
    if (!(await this.store.delete(oldId))) {
      // The old session ended meanwhile: the copy must not outlive it.
      await this.store.delete(newId);
      this.reset(state);
      return undefined;
    }
    state.record.attributes = attributes;
    state.pending.clear();
    state.parsed.clear();
    const principal = session.principal;
    if (principal) {
      const replacing = wasIndexed ? oldId : undefined; // an anonymous session was never indexed
      await this.principals.add(principal, newId, state.record.maxInactiveInterval, replacing);
    }
    return newId;
  }

  /** A fixed-window counter in the session store, shared by every instance (rate limits). */
  hit(bucket: string, windowMs: number, amount = 1): Promise<number> {
    return this.store.hit(bucket, windowMs, amount);
  }

  ping(): Promise<void> {
    return this.store.ping();
  }

  get storeKind(): string {
    return this.store.kind;
  }

  /** Serve only once connected, unless the store stays away: then 503 until it comes back. */
  async onApplicationBootstrap(): Promise<void> {
    if (!(await this.store.ready(STARTUP_WAIT_MS))) {
      new Logger('SessionManager').warn(`Session store (${this.store.kind}) not reachable yet`);
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.store.close();
  }

  private async create(session: HttpSession): Promise<void> {
    const { state } = session;
    await this.checkCreationRate(state.clientKey);
    const attributes = new Map(state.record.attributes);
    for (const [name, json] of state.pending) if (json !== null) attributes.set(name, json);
    await this.insert(state, attributes);
    await this.afterWrite(session); // folds the pending changes in and indexes a principal
  }

  /** Writes a whole session under a fresh id (retrying the astronomically unlikely clash). */
  private async insert(state: SessionState, attributes: Map<string, string>): Promise<string> {
    for (;;) {
      const id = newSessionId();
      const result = await this.store.write(id, {
        create: { creationTime: state.id ? state.record.creationTime : Date.now() },
        lastAccessedTime: Date.now(),
        maxInactiveInterval: state.record.maxInactiveInterval,
        set: attributes,
        remove: [],
        expect: new Map(),
      });
      if (result.status !== 'ok') continue;
      state.id = id;
      state.idChanged = true;
      state.record.lastAccessedTime = Date.now();
      this.events.emit('created', id);
      return id;
    }
  }

  private delta(state: SessionState, expect: Map<string, string | null>): SessionWrite {
    const set = new Map<string, string>();
    const remove: string[] = [];
    for (const [name, json] of state.pending) {
      if (json === null) remove.push(name);
      else set.set(name, json);
    }
    return {
      lastAccessedTime: Date.now(),
      maxInactiveInterval: state.record.maxInactiveInterval,
      set,
      remove,
      expect,
    };
  }

  /** Folds the saved changes into the loaded record; indexes a new principal. */
  private async afterWrite(session: HttpSession): Promise<void> {
    const { state } = session;
    const newPrincipal = state.pending.get(PRINCIPAL_ATTRIBUTE);
    for (const [name, json] of state.pending) {
      if (json === null) state.record.attributes.delete(name);
      else state.record.attributes.set(name, json);
    }
    state.pending.clear();
    state.maxInactiveChanged = false;
    state.record.lastAccessedTime = Date.now();
    if (newPrincipal && state.id) {
      const principal = JSON.parse(newPrincipal) as string;
      await this.principals.add(principal, state.id, state.record.maxInactiveInterval);
    }
  }

  private async checkCreationRate(clientKey: string): Promise<void> {
    const limit = this.options.maxNewSessionsPerMinute;
    if (limit <= 0) return;
    if ((await this.store.hit(`creations:${clientKey}`, CREATION_WINDOW_MS)) > limit) {
      throw new SessionCreationRateExceeded();
    }
  }

  private reset(state: SessionState): void {
    const wasKnown = state.id !== undefined;
    state.id = undefined;
    state.record = this.blankRecord();
    state.pending.clear();
    state.parsed.clear();
    state.idChanged = false;
    state.invalidated = wasKnown;
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
