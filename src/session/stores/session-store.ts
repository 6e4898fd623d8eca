/** What a store keeps for one session; attribute values are JSON text, parsed only on demand. */
export interface SessionRecord {
  creationTime: number;
  lastAccessedTime: number;
  /** Seconds of inactivity after which the session expires. */
  maxInactiveInterval: number;
  attributes: Map<string, string>;
}

/**
 * One atomic change to one session. `expect` is a compare-and-set precondition (the JSON an
 * attribute must still hold, null for absent); if it fails, nothing is written.
 */
export interface SessionWrite {
  /** Present: create the session; it must not exist yet. Absent: it must still exist. */
  create?: { creationTime: number };
  lastAccessedTime: number;
  maxInactiveInterval: number;
  /** How long the store keeps the session from now (default maxInactiveInterval): shorter
   * when an absolute lifetime ends sooner. */
  ttlSeconds?: number;
  /** Attribute -> JSON to store, or null to remove it. */
  changes: ReadonlyMap<string, string | null>;
  expect?: { name: string; json: string | null };
}

export type WriteResult =
  | { status: 'ok' }
  /** The session does not exist (expired or deleted meanwhile): never resurrected. */
  | { status: 'gone' }
  /** A new session's id is already taken. */
  | { status: 'exists' }
  /** The precondition failed; `current` is what the expected attribute holds now. */
  | { status: 'conflict'; current: string | null };

/**
 * Where sessions live. Every method rejects with SessionStoreError when the store cannot be
 * reached or does not answer in time. `describeSessionStoreContract` (from the package's
 * `testing` entry) checks an implementation.
 */
export interface SessionStore {
  /** Human-readable kind for logs and health: "memory", "redis", "redis-cluster", "redis-sentinel". */
  readonly kind: string;
  /** The session, or null when absent, expired or malformed (a record it cannot trust). */
  load(id: string): Promise<SessionRecord | null>;
  write(id: string, change: SessionWrite): Promise<WriteResult>;
  delete(id: string): Promise<boolean>;
  /** Calls back with the id of every session the store expires (best effort). */
  onExpired(listener: (id: string) => void): void;
  ping(): Promise<void>;
  /** Resolves once connected, or false after `timeoutMs`; the store keeps trying either way. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Optional: sessions findable by principal name (per-principal limit, "log out everywhere"). */
export interface PrincipalIndex {
  /** Adds a session to its principal's index; the index lives at least `ttlSeconds`. */
  index(principal: string, id: string, ttlSeconds: number): Promise<void>;
  unindex(principal: string, id: string): Promise<void>;
  /** Live session ids of a principal; ids of sessions that no longer exist are pruned. */
  findByPrincipal(principal: string): Promise<string[]>;
}

/** Optional: a fixed-window counter shared by every instance (creation cap, login throttling). */
export interface RateCounter {
  /** Adds `amount` (0: just reads) to the bucket's current window; resolves with its count. */
  hit(bucket: string, windowMs: number, amount?: number): Promise<number>;
}

/**
 * Optional: a broadcast to every instance using the same store (Redis: pub/sub on the store's
 * own deployment). Best effort: a message published while a subscriber reconnects is lost.
 */
export interface SessionEventBus {
  publish(message: string): Promise<void>;
  /** Every message published by any instance from now on, this one's included. */
  subscribe(listener: (message: string) => void): void;
}

export const hasEventBus = (s: object): s is SessionEventBus =>
  typeof (s as Partial<SessionEventBus>).publish === 'function';

export const hasPrincipalIndex = (s: object): s is PrincipalIndex =>
  typeof (s as Partial<PrincipalIndex>).findByPrincipal === 'function';

export const hasRateCounter = (s: object): s is RateCounter =>
  typeof (s as Partial<RateCounter>).hit === 'function';

/** The store cannot be reached or did not answer in time. */
export class SessionStoreError extends Error {
  constructor(cause: unknown) {
    super(`Session store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'SessionStoreError';
  }
}
