import type { DeepReadonly } from './deep-freeze';
import { PRINCIPAL, SessionAttribute } from './session-attribute';
import type { SessionState } from './session-state';

/** What a session does to the store at once; implemented by the module's SessionActions. */
export interface SessionBackend {
  update<T>(
    state: SessionState,
    attribute: SessionAttribute<T>,
    fn: (current: T | undefined) => T | undefined,
  ): Promise<T | undefined>;
  invalidate(state: SessionState): Promise<void>;
  rotate(state: SessionState): Promise<void>;
  persist(state: SessionState, persistent: boolean): void;
  signIn(state: SessionState, principal: string | undefined): void;
}

/**
 * One request's HTTP session, as its handler sees it. Reads are synchronous (the guard loaded
 * the session) and typed by the attribute's declaration; `write`s are saved as one delta before
 * the response is sent; `update`, `invalidate` and `rotate` act on the store at once.
 */
export class HttpSession {
  constructor(
    private readonly state: SessionState,
    private readonly backend: SessionBackend,
  ) {}

  /** Undefined until the session exists in the store (lazy creation). */
  get id(): string | undefined {
    return this.state.id;
  }

  /**
   * The logged-in user's name. Setting it is saved with the other changes, indexed, and records
   * where the login happened (user agent, address, a random handle) for "my sessions".
   */
  get principal(): string | undefined {
    return this.state.read(PRINCIPAL);
  }

  set principal(name: string | undefined) {
    this.backend.signIn(this.state, name);
  }

  /**
   * "Remember me": the session takes the persistent timeout, and the id is next sent with
   * Max-Age (request-local: a later request's cookie is a browser-session one again).
   */
  get persistent(): boolean {
    return this.state.persistent;
  }

  set persistent(value: boolean) {
    this.backend.persist(this.state, value);
  }

  /** A frozen value (change it through `write` or `update`); absent, or stored but unusable: undefined. */
  read<T>(attribute: SessionAttribute<T>): DeepReadonly<T> | undefined {
    return this.state.read(attribute) as DeepReadonly<T> | undefined;
  }

  /** Saved before the response is sent, unless the handler fails; undefined removes it. */
  write<T>(attribute: SessionAttribute<T>, value: T | undefined): void {
    this.state.stage(attribute.name, value === undefined ? null : JSON.stringify(value));
  }

  /**
   * Read-modify-write of one attribute, atomic against concurrent requests on the same
   * session (compare-and-set, retried with the fresh value). `fn` must be pure: it may run
   * more than once. Resolves with the value that was stored.
   */
  async update<T>(
    attribute: SessionAttribute<T>,
    fn: (current: DeepReadonly<T> | undefined) => T | undefined,
  ): Promise<DeepReadonly<T> | undefined> {
    const update = fn as (current: T | undefined) => T | undefined;
    return (await this.backend.update(this.state, attribute, update)) as
      DeepReadonly<T> | undefined;
  }

  /** Ends the session now; the response clears the cookie. Later writes start a new session. */
  invalidate(): Promise<void> {
    return this.backend.invalidate(this.state);
  }

  /** Moves the session to a fresh id now (e.g. on login), keeping its attributes. */
  rotate(): Promise<void> {
    return this.backend.rotate(this.state);
  }
}
