import { EventEmitter } from 'node:events';
import {
  PrincipalIndex,
  RateCounter,
  SessionEventBus,
  SessionRecord,
  SessionStore,
  SessionWrite,
  WriteResult,
} from './session-store';

interface Entry {
  record: SessionRecord;
  expiresAt: number;
}

/**
 * Single-process store with the same semantics as the Redis one (atomic writes,
 * compare-and-set, no resurrection, expiry). For the embedded default and tests.
 */
export class MemorySessionStore
  implements SessionStore, PrincipalIndex, RateCounter, SessionEventBus
{
  readonly kind = 'memory';
  private readonly sessions = new Map<string, Entry>();
  private readonly principals = new Map<string, Set<string>>();
  private readonly counters = new Map<string, { count: number; until: number }>();
  private readonly expiredListeners: Array<(id: string) => void> = [];
  private readonly sweeper: NodeJS.Timeout;
  private readonly bus = new EventEmitter();

  constructor(sweepIntervalMs = 1_000) {
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs).unref();
  }

  load(id: string): Promise<SessionRecord | null> {
    const entry = this.live(id);
    if (!entry) return Promise.resolve(null);
    const { record } = entry;
    return Promise.resolve({ ...record, attributes: new Map(record.attributes) });
  }

  write(id: string, change: SessionWrite): Promise<WriteResult> {
    const entry = this.live(id);
    if (change.create && entry) return Promise.resolve({ status: 'exists' });
    if (!change.create && !entry) return Promise.resolve({ status: 'gone' });
    const attributes = entry?.record.attributes ?? new Map<string, string>();
    if (change.expect) {
      const current = attributes.get(change.expect.name) ?? null;
      if (current !== change.expect.json) return Promise.resolve({ status: 'conflict', current });
    }
    for (const [name, json] of change.changes) {
      if (json === null) attributes.delete(name);
      else attributes.set(name, json);
    }
    const record: SessionRecord = {
      creationTime: entry?.record.creationTime ?? change.create!.creationTime,
      lastAccessedTime: change.lastAccessedTime,
      maxInactiveInterval: change.maxInactiveInterval,
      attributes,
    };
    const ttlSeconds = change.ttlSeconds ?? change.maxInactiveInterval;
    this.sessions.set(id, { record, expiresAt: Date.now() + ttlSeconds * 1_000 });
    return Promise.resolve({ status: 'ok' });
  }

  delete(id: string): Promise<boolean> {
    return Promise.resolve(this.live(id) !== undefined && this.sessions.delete(id));
  }

  index(principal: string, id: string): Promise<void> {
    const ids = this.principals.get(principal) ?? new Set<string>();
    this.principals.set(principal, ids.add(id));
    return Promise.resolve();
  }

  unindex(principal: string, id: string): Promise<void> {
    this.principals.get(principal)?.delete(id);
    return Promise.resolve();
  }

  findByPrincipal(principal: string): Promise<string[]> {
    const ids = this.principals.get(principal) ?? new Set<string>();
    for (const id of ids) if (!this.live(id)) ids.delete(id);
    return Promise.resolve([...ids]);
  }

  hit(bucket: string, windowMs: number, amount = 1): Promise<number> {
    const now = Date.now();
    const slot = this.counters.get(bucket);
    const next = slot && slot.until > now ? slot : { count: 0, until: now + windowMs };
    next.count += amount;
    if (next.count > 0) this.counters.set(bucket, next);
    return Promise.resolve(next.count);
  }

  publish(message: string): Promise<void> {
    this.bus.emit('message', message);
    return Promise.resolve();
  }

  subscribe(listener: (message: string) => void): void {
    this.bus.on('message', listener);
  }

  onExpired(listener: (id: string) => void): void {
    this.expiredListeners.push(listener);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  ready(): Promise<boolean> {
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    return Promise.resolve();
  }

  private live(id: string): Entry | undefined {
    const entry = this.sessions.get(id);
    if (entry && entry.expiresAt <= Date.now()) {
      this.sessions.delete(id);
      for (const listener of this.expiredListeners) listener(id);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    for (const id of this.sessions.keys()) this.live(id);
    const now = Date.now();
    for (const [client, slot] of this.counters) if (slot.until <= now) this.counters.delete(client);
  }
}
