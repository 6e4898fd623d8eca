import { deepFreeze } from './deep-freeze';
import { decodeAttribute, SessionAttribute } from './session-attribute';
import { checkSessionSize, sizeOf } from './session-size';

/**
 * A session's attributes during one request: the saved JSON (as loaded, plus what this
 * request saved since) and the unsaved changes on top (JSON to set, or null to remove).
 * The change Map is created on the first change, so a read-only request allocates none.
 */
export class SessionChanges {
  private pending?: Map<string, string | null>;
  /** Values handed out by `value`, parsed once per request. */
  private parsed?: Map<string, unknown>;
  /** maxInactiveInterval was set: saved even when no attribute changed. */
  intervalChanged = false;

  constructor(readonly saved: Map<string, string>) {}

  get isEmpty(): boolean {
    return (this.pending?.size ?? 0) === 0 && !this.intervalChanged;
  }

  /** Undefined: not changed by this request; null: removed. */
  get(name: string): string | null | undefined {
    return this.pending?.get(name);
  }

  /** The attribute's JSON as the handler sees it (changes included); null when absent. */
  current(name: string): string | null {
    const pending = this.pending?.get(name);
    return pending !== undefined ? pending : (this.saved.get(name) ?? null);
  }

  /**
   * The attribute's value, parsed and checked once, deeply frozen; undefined when absent. A value
   * that fails its check is reported to `unusable` (once: it is expected to stage the removal).
   */
  value<T>(attribute: SessionAttribute<T>, unusable: (problem: string) => void): T | undefined {
    const { name } = attribute;
    const json = this.current(name);
    if (json === null) return undefined;
    const parsed = (this.parsed ??= new Map());
    if (parsed.has(name)) return parsed.get(name) as T | undefined;
    const checked = decodeAttribute(attribute, json);
    if (!checked.ok) return void unusable(checked.problem);
    const value = deepFreeze(checked.value) as T;
    parsed.set(name, value);
    return value;
  }

  /** Records a change; the saved value again is no change. Throws 413 beyond `maxBytes`. */
  stage(name: string, json: string | null, maxBytes: number): void {
    this.parsed?.delete(name);
    if (json === (this.saved.get(name) ?? null)) return void this.pending?.delete(name);
    if (json !== null) checkSessionSize(this.bytesBesides(name), name, json, maxBytes);
    (this.pending ??= new Map()).set(name, json);
  }

  /** Forgets this request's change of `name`; `saved` is what the store holds now. */
  reset(name: string, saved: string | null): void {
    this.pending?.delete(name);
    this.parsed?.delete(name);
    if (saved === null) this.saved.delete(name);
    else this.saved.set(name, saved);
  }

  /** The store's view of the change set: name -> JSON, or null to remove. */
  entries(): ReadonlyMap<string, string | null> {
    return this.pending ?? EMPTY;
  }

  /** True when some attribute gets a value (a session worth creating). */
  writesAny(): boolean {
    if (this.pending) for (const json of this.pending.values()) if (json !== null) return true;
    return false;
  }

  /** The saved attributes with the changes applied, as a new Map: a session's whole content. */
  merged(): Map<string, string> {
    return this.applyTo(new Map(this.saved));
  }

  /** The changes reached the store: they become the saved state. */
  fold(): void {
    this.applyTo(this.saved);
    this.pending?.clear();
    this.intervalChanged = false;
  }

  /** Nothing saved, nothing changed: the session is gone. */
  clear(): void {
    this.saved.clear();
    this.pending?.clear();
    this.parsed?.clear();
    this.intervalChanged = false;
  }

  private applyTo(attributes: Map<string, string>): Map<string, string> {
    for (const [name, json] of this.entries()) {
      if (json === null) attributes.delete(name);
      else attributes.set(name, json);
    }
    return attributes;
  }

  /** Bytes of every other attribute's name and JSON, changes included. */
  private bytesBesides(name: string): number {
    let bytes = 0;
    for (const [other, json] of this.saved) {
      if (other !== name && this.pending?.get(other) === undefined) bytes += sizeOf(other, json);
    }
    if (this.pending) {
      for (const [other, json] of this.pending) {
        if (other !== name && json !== null) bytes += sizeOf(other, json);
      }
    }
    return bytes;
  }
}

const EMPTY: ReadonlyMap<string, string | null> = new Map();
