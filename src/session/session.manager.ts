import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { HttpSession, SessionBackend } from './http-session';
import { SESSION_OPTIONS } from './session.constants';
import { SessionCreator } from './session-creator';
import { SessionEvents } from './session.events';
import { SessionPrincipals } from './session.principals';
import { SessionRotation } from './session-rotation';
import { SessionSaver } from './session-saver';
import { toHttpError } from './session-store-failure';
import { ResolvedSessionOptions } from './session.options';
import { SessionRecord, SessionStore } from './stores/session-store';

const STARTUP_WAIT_MS = 5_000;

/**
 * The module's entry to its store: opens a request's session and saves it; `update`,
 * rotation and invalidation are delegated to the class of each use case.
 */
@Injectable()
export class SessionManager
  implements SessionBackend, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly store: SessionStore;
  private readonly saver: SessionSaver;
  private readonly rotation: SessionRotation;

  constructor(
    @Inject(SESSION_OPTIONS) private readonly options: ResolvedSessionOptions,
    events: SessionEvents,
    principals: SessionPrincipals,
  ) {
    this.store = options.store;
    this.store.onExpired((id) => events.emit('expired', id));
    const creator = new SessionCreator(options, events, principals);
    this.saver = new SessionSaver(options, creator);
    this.rotation = new SessionRotation(options, creator, principals);
  }

  /** One store read when the client sent a well-formed id, none otherwise. */
  async open(requestedId: string | undefined, clientKey: string): Promise<HttpSession> {
    const record = requestedId ? await this.store.load(requestedId) : null;
    if (!record) return this.session(clientKey, this.blankRecord());
    return this.session(clientKey, record, requestedId);
  }

  /** A session that is not in the store and never will be: for optional use while it is down. */
  detached(clientKey: string): HttpSession {
    return this.session(clientKey, this.blankRecord(), undefined, true);
  }

  /**
   * Saves the deferred changes, or refreshes the expiry when due: one write at most.
   * Undefined (and no promise) when there is nothing to save.
   */
  commitIfNeeded(session: HttpSession): Promise<void> | undefined {
    return this.saver.commit(session);
  }

  // What handlers call: a store failure reaches them as a 503 (SessionStoreUnavailable).
  update(session: HttpSession, name: string, fn: (current: unknown) => unknown): Promise<unknown> {
    return this.saver.update(session, name, fn).catch(toHttpError);
  }

  invalidate(session: HttpSession): Promise<void> {
    return this.rotation.invalidate(session).catch(toHttpError);
  }

  changeId(session: HttpSession): Promise<string | undefined> {
    return this.rotation.changeId(session).catch(toHttpError);
  }

  /** A fixed-window counter in the session store, shared by every instance (rate limits). */
  hit(bucket: string, windowMs: number, amount = 1): Promise<number> {
    return this.store.hit(bucket, windowMs, amount).catch(toHttpError);
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

  private session(
    clientKey: string,
    record: SessionRecord,
    id?: string,
    detached?: boolean,
  ): HttpSession {
    return new HttpSession(this, this.options.maxSessionBytes, clientKey, record, id, detached);
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
