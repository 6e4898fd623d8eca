import { Logger } from '@nestjs/common';
import type { SessionAttribute } from './session-attribute';
import { SessionChanges } from './session-changes';
import type { SessionRecord } from './stores/session-store';

const logger = new Logger('Session');

/** Who sent the request; read only when a session is created or signed in (both cost per read). */
export interface SessionClient {
  /** The client's address, for the per-address creation cap and "my sessions". */
  readonly address: string;
  /** The client's User-Agent, recorded at login. */
  readonly userAgent: string;
}

/**
 * Everything one request knows of its session: the id and what the response must say about it,
 * the saved record, the unsaved changes. Internal to the module: `HttpSession` is its public
 * face, and only the module's services (loader, saver, creator, rotation) change it.
 */
export class SessionState {
  readonly changes: SessionChanges;
  /** The id changed during this request (created or rotated): the response carries it. */
  changed = false;
  /** The session this request came with ended: the response clears the id. */
  ended = false;
  /** Request-local: the id is next sent with Max-Age ("remember me"). */
  persistent = false;
  /**
   * Called once, when the response first has something to say about the id (created, rotated,
   * ended): most requests keep their id, and hooking the response's headers costs per request.
   */
  onIdChange: (() => void) | undefined = undefined;

  constructor(
    /** The saved state: what the store held at load, plus what this request saved since. */
    readonly record: SessionRecord,
    /** Undefined until the session exists in the store (lazy creation). */
    public id: string | undefined,
    readonly client: SessionClient,
    readonly maxBytes: number,
    /** Not backed by the store (it was down): nothing is ever saved. */
    readonly detached = false,
  ) {
    this.changes = new SessionChanges(record.attributes);
  }

  /** A stored value that fails its check is dropped: warned once, removed by this request's save. */
  read<T>(attribute: SessionAttribute<T>): T | undefined {
    return this.changes.value(attribute, (problem) => {
      logger.warn(`Session attribute '${attribute.name}' dropped: ${problem}`);
      this.stage(attribute.name, null);
    });
  }

  /** Records a change to save; an unchanged value is no change. Throws 413 beyond the cap. */
  stage(name: string, json: string | null): void {
    this.changes.stage(name, json, this.maxBytes);
  }

  setInterval(seconds: number): void {
    this.record.maxInactiveInterval = seconds;
    this.changes.intervalChanged = true;
  }

  /** The changes reached the store. */
  saved(): void {
    this.changes.fold();
    this.record.lastAccessedTime = Date.now();
  }

  /** The session now lives under `id` (created or rotated), with its changes saved. */
  movedTo(id: string): void {
    this.id = id;
    this.changed = true;
    this.announce();
    this.saved();
  }

  /** The session is gone (ended here or elsewhere): whatever follows starts a new one. */
  forget(timeoutSeconds: number, ended = this.id !== undefined): void {
    this.ended ||= ended;
    if (this.ended) this.announce();
    this.id = undefined;
    this.changed = false;
    this.record.creationTime = this.record.lastAccessedTime = Date.now();
    this.record.maxInactiveInterval = timeoutSeconds;
    this.changes.clear();
  }

  private announce(): void {
    const hook = this.onIdChange;
    this.onIdChange = undefined;
    hook?.();
  }
}
