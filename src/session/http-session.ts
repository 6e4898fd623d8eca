import { PayloadTooLargeException } from '@nestjs/common';
import { deepFreeze, DeepReadonly } from './deep-freeze';
import type { SessionRecord } from './stores/session-store';

/** The principal (user name) attribute, used by the principal index. */
export const PRINCIPAL_ATTRIBUTE = 'principalName';

/** What the session does to the store; implemented by SessionManager. */
export interface SessionBackend {
  update(session: HttpSession, name: string, fn: (current: unknown) => unknown): Promise<unknown>;
  invalidate(session: HttpSession): Promise<void>;
  changeId(session: HttpSession): Promise<string | undefined>;
}

/** @internal Mutable state shared with SessionManager. */
export interface SessionState {
  id?: string;
  record: SessionRecord;
  /** Deferred changes: JSON to set, or null to remove. Saved after the handler completes. */
  pending: Map<string, string | null>;
  parsed: Map<string, unknown>;
  maxInactiveChanged: boolean;
  /** The id changed (created or rotated): the response carries the new one. */
  idChanged: boolean;
  invalidated: boolean;
  /** Not backed by the store (it was down): changes are dropped. */
  detached: boolean;
  /** The cookie sent with this response outlives the browser session (Max-Age). */
  persistent: boolean;
  clientKey: string;
}

/**
 * One request's view of its HTTP session. Reads are synchronous (the interceptor loaded
 * the session); `set`/`remove` are saved as deltas after the handler completes; `update`,
 * `invalidate` and `changeSessionId` act on the store at once.
 */
export class HttpSession {
  /** @internal */
  readonly state: SessionState;

  constructor(
    private readonly backend: SessionBackend,
    private readonly maxBytes: number,
    state: SessionState,
  ) {
    this.state = state;
  }

  /** Undefined until the session exists in the store (lazy creation). */
  get id(): string | undefined {
    return this.state.id;
  }

  get isNew(): boolean {
    return this.state.id === undefined || this.state.idChanged;
  }

  get creationTime(): number {
    return this.state.record.creationTime;
  }

  get lastAccessedTime(): number {
    return this.state.record.lastAccessedTime;
  }

  /** Seconds of inactivity before expiry; setting it is saved with the other changes. */
  get maxInactiveInterval(): number {
    return this.state.record.maxInactiveInterval;
  }

  set maxInactiveInterval(seconds: number) {
    this.state.record.maxInactiveInterval = seconds;
    this.state.maxInactiveChanged = true;
  }

  /**
   * Send the cookie with Max-Age = maxInactiveInterval (e.g. "remember me") when the id is
   * next sent; otherwise it is a browser-session cookie.
   */
  get persistent(): boolean {
    return this.state.persistent;
  }

  set persistent(value: boolean) {
    this.state.persistent = value;
  }

  /** A frozen copy: change it through `set` or `update`, never in place. */
  get<T>(name: string): DeepReadonly<T> | undefined {
    const json = this.json(name);
    if (json === null) return undefined;
    if (!this.state.parsed.has(name)) this.state.parsed.set(name, deepFreeze(JSON.parse(json)));
    return this.state.parsed.get(name) as DeepReadonly<T>;
  }

  set(name: string, value: unknown): void {
    if (value === undefined) return this.remove(name);
    const json = JSON.stringify(value);
    this.state.parsed.delete(name);
    if (json === this.state.record.attributes.get(name)) {
      this.state.pending.delete(name); // unchanged: nothing to save
      return;
    }
    this.checkSize(name, json);
    this.state.pending.set(name, json);
  }

  remove(name: string): void {
    this.state.pending.set(name, null);
    this.state.parsed.delete(name);
  }

  attributeNames(): string[] {
    const names = new Set(this.state.record.attributes.keys());
    for (const [name, json] of this.state.pending) {
      if (json === null) names.delete(name);
      else names.add(name);
    }
    return [...names];
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

  /** @internal Current JSON of an attribute, pending changes included; null when absent. */
  json(name: string): string | null {
    const pending = this.state.pending.get(name);
    if (pending !== undefined) return pending;
    return this.state.record.attributes.get(name) ?? null;
  }

  /** @internal */
  checkSize(name: string, json: string | null): void {
    let bytes = 0;
    for (const other of this.attributeNames()) {
      if (other !== name) bytes += byteLength(other) + byteLength(this.json(other) ?? '');
    }
    bytes += json === null ? 0 : byteLength(name) + byteLength(json);
    if (bytes > this.maxBytes) {
      throw new PayloadTooLargeException(`Session would exceed ${this.maxBytes} bytes`);
    }
  }
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');
