import type { DeepReadonly } from './deep-freeze';
import { PRINCIPAL_ATTRIBUTE } from './session.constants';
import { SessionChanges } from './session-changes';
import { SessionIdentity } from './session-identity';
import type { SessionRecord } from './stores/session-store';

/** What a session does to the store at once; implemented by SessionManager. */
export interface SessionBackend {
  update(session: HttpSession, name: string, fn: (current: unknown) => unknown): Promise<unknown>;
  invalidate(session: HttpSession): Promise<void>;
  changeId(session: HttpSession): Promise<string | undefined>;
}

/**
 * One request's view of its HTTP session. Reads are synchronous (the guard loaded the
 * session); `set`/`remove` are saved as one delta before the response is sent; `update`,
 * `invalidate` and `changeSessionId` act on the store at once.
 */
export class HttpSession {
  /** Unsaved changes of this request; the saving side reads and folds them. */
  readonly changes: SessionChanges;
  /** Its id, and what the response must say about it. */
  readonly identity: SessionIdentity;

  constructor(
    private readonly backend: SessionBackend,
    private readonly maxBytes: number,
    /** The client's address, for the per-address creation cap. */
    readonly clientKey: string,
    /** The saved state: what the store held at load, plus what this request saved since. */
    readonly saved: SessionRecord,
    id: string | undefined,
    /** Not backed by the store (it was down): nothing is ever saved. */
    readonly detached = false,
  ) {
    this.identity = new SessionIdentity(id);
    this.changes = new SessionChanges(saved.attributes);
  }

  /** Undefined until the session exists in the store (lazy creation). */
  get id(): string | undefined {
    return this.identity.id;
  }

  get isNew(): boolean {
    return this.identity.id === undefined || this.identity.changed;
  }

  /** Request-local: the id is next sent with Max-Age = maxInactiveInterval ("remember me"). */
  get persistent(): boolean {
    return this.identity.persistent;
  }

  set persistent(value: boolean) {
    this.identity.persistent = value;
  }

  get creationTime(): number {
    return this.saved.creationTime;
  }

  get lastAccessedTime(): number {
    return this.saved.lastAccessedTime;
  }

  /** Seconds of inactivity before expiry; setting it is saved with the other changes. */
  get maxInactiveInterval(): number {
    return this.saved.maxInactiveInterval;
  }

  set maxInactiveInterval(seconds: number) {
    this.saved.maxInactiveInterval = seconds;
    this.changes.intervalChanged = true;
  }

  /** A frozen copy: change it through `set` or `update`, never in place. */
  get<T>(name: string): DeepReadonly<T> | undefined {
    return this.changes.value(name) as DeepReadonly<T> | undefined;
  }

  set(name: string, value: unknown): void {
    if (value === undefined) return this.remove(name);
    this.stage(name, JSON.stringify(value));
  }

  remove(name: string): void {
    this.stage(name, null);
  }

  attributeNames(): string[] {
    return this.changes.names();
  }

  /**
   * Read-modify-write of one attribute, atomic against concurrent requests on the same
   * session (compare-and-set, retried with the fresh value). `fn` must be pure: it may run
   * more than once. Resolves with the value that was stored.
   */
  async update<T>(
    name: string,
    fn: (current: DeepReadonly<T> | undefined) => T | undefined,
  ): Promise<DeepReadonly<T> | undefined> {
    const stored = await this.backend.update(this, name, fn as (current: unknown) => unknown);
    return stored as DeepReadonly<T> | undefined;
  }

  /** Ends the session now; the response clears the cookie. Later `set`s start a new session. */
  invalidate(): Promise<void> {
    return this.backend.invalidate(this);
  }

  /** Moves the session to a fresh id now (e.g. on login), keeping its attributes. */
  changeSessionId(): Promise<string | undefined> {
    return this.backend.changeId(this);
  }

  get principal(): string | undefined {
    return this.get<string>(PRINCIPAL_ATTRIBUTE);
  }

  /** Records a change to save; an unchanged value is no change. Throws 413 beyond the cap. */
  stage(name: string, json: string | null): void {
    this.changes.stage(name, json, this.maxBytes);
  }

  /** The session now lives under `id` (created or rotated), with its changes saved. */
  movedTo(id: string): void {
    this.identity.movedTo(id);
    this.wasSaved();
  }

  /** The changes reached the store. */
  wasSaved(): void {
    this.changes.fold();
    this.saved.lastAccessedTime = Date.now();
  }

  /** Another request changed `name` meanwhile: this is what the store holds now. */
  refresh(name: string, json: string | null): void {
    this.changes.reset(name, json);
  }

  /** The session is gone (ended here or elsewhere): whatever follows starts a new one. */
  forget(timeoutSeconds: number, ended = this.identity.id !== undefined): void {
    this.identity.forget(ended);
    this.saved.creationTime = this.saved.lastAccessedTime = Date.now();
    this.saved.maxInactiveInterval = timeoutSeconds;
    this.changes.clear();
  }
}
