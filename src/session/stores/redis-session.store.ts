import { Logger } from '@nestjs/common';
import calculateSlot from 'cluster-key-slot';
import Redis, { Cluster } from 'ioredis';
import { createRedisClient, RedisClientLimits, RedisConnection } from './redis-connection';
import { ReplicaShortfall } from './replica-shortfall';
import { COUNT_IN_WINDOW, INDEX_SESSION, WRITE_SESSION } from './redis-scripts';
import {
  SessionRecord,
  SessionStore,
  SessionStoreUnavailableError,
  SessionWrite,
  WriteResult,
} from './session-store';

const ATTR = 'sessionAttr:';
const ABSENT_MARK = '\0';

type ScriptClient = (Redis | Cluster) & {
  writeSession(key: string, ...args: (string | number)[]): Promise<string[]>;
  indexSession(key: string, id: string, ttlMs: number): Promise<number>;
  countInWindow(key: string, windowMs: number, amount: number): Promise<number>;
};

export interface RedisStoreSettings {
  namespace: string;
  /** Replicas that must acknowledge each write (WAIT); 0: don't wait. */
  durableReplicas: number;
  durableTimeoutMs: number;
  /** "configure": CONFIG SET notify-keyspace-events; "assume": already set; "off": no expiry events. */
  keyspaceNotifications: 'configure' | 'assume' | 'off';
}

/**
 * Spring Session's Redis layout: hash `<namespace>:sessions:<id>` with creationTime,
 * lastAccessedTime, maxInactiveInterval and sessionAttr:<name> (JSON); TTL = timeout.
 * Every single-session operation is one command or script on one key.
 */
export class RedisSessionStore implements SessionStore {
  private readonly logger = new Logger('RedisSessionStore');
  private readonly client: ScriptClient;
  private readonly subscribers: Redis[] = [];
  private lastShortfallWarning = 0;
  private readonly shortfall = new ReplicaShortfall();

  constructor(
    client: Redis | Cluster,
    private readonly settings: RedisStoreSettings,
    readonly kind: string,
  ) {
    client.defineCommand('writeSession', { numberOfKeys: 1, lua: WRITE_SESSION });
    client.defineCommand('indexSession', { numberOfKeys: 1, lua: INDEX_SESSION });
    client.defineCommand('countInWindow', { numberOfKeys: 1, lua: COUNT_IN_WINDOW });
    // Errors surface per command; without a listener ioredis would also print each one.
    client.on('error', () => undefined);
    this.client = client as ScriptClient;
  }

  sessionKey(id: string): string {
    return `${this.settings.namespace}:sessions:${id}`;
  }

  async load(id: string): Promise<SessionRecord | null> {
    const hash = await this.call(() => this.client.hgetall(this.sessionKey(id)));
    if (!hash.lastAccessedTime) return null;
    const attributes = new Map<string, string>();
    for (const field in hash) {
      if (field.startsWith(ATTR)) attributes.set(field.slice(ATTR.length), hash[field]);
    }
    return {
      creationTime: Number(hash.creationTime),
      lastAccessedTime: Number(hash.lastAccessedTime),
      maxInactiveInterval: Number(hash.maxInactiveInterval),
      attributes,
    };
  }

  async write(id: string, change: SessionWrite): Promise<WriteResult> {
    const args: (string | number)[] = [
      change.create ? 'create' : 'update',
      change.maxInactiveInterval * 1_000,
      change.lastAccessedTime,
      change.maxInactiveInterval,
      change.create?.creationTime ?? '',
      change.expect.size,
      change.set.size,
      change.remove.length,
    ];
    for (const [name, json] of change.expect) args.push(ATTR + name, json ?? ABSENT_MARK);
    for (const [name, json] of change.set) args.push(ATTR + name, json);
    for (const name of change.remove) args.push(ATTR + name);
    const key = this.sessionKey(id);
    const reply = await this.call(() => this.writeDurably(key, args));
    const [status, ...rest] = reply;
    if (status !== 'conflict') return { status } as WriteResult;
    const current = new Map<string, string | null>();
    for (let i = 0; i < rest.length; i += 2) {
      current.set(rest[i].slice(ATTR.length), rest[i + 1] === ABSENT_MARK ? null : rest[i + 1]);
    }
    return { status: 'conflict', current };
  }

  /** With durable saves, the script and WAIT go out together on the key's connection. */
  private async writeDurably(key: string, args: (string | number)[]): Promise<string[]> {
    const { durableReplicas, durableTimeoutMs } = this.settings;
    const node = this.nodeOf(key);
    if (durableReplicas === 0 || this.shortfall.skipWait(node)) {
      return this.client.writeSession(key, ...args);
    }
    const pipeline = this.client.pipeline() as unknown as {
      writeSession(key: string, ...args: (string | number)[]): unknown;
      wait(replicas: number, timeout: number): unknown;
      exec(): Promise<Array<[Error | null, unknown]> | null>;
    };
    pipeline.writeSession(key, ...args);
    pipeline.wait(durableReplicas, durableTimeoutMs);
    const [[writeError, reply], [waitError, acked]] = (await pipeline.exec()) ?? [];
    if (writeError) throw writeError;
    const confirmed = !waitError && (acked as number) >= durableReplicas;
    this.shortfall.record(node, confirmed);
    if (!confirmed) this.warnShortfall(waitError ? 0 : (acked as number));
    return reply as string[];
  }

  /** The master serving `key` (ioredis's slot table); one name for a single-node deployment. */
  private nodeOf(key: string): string {
    if (!(this.client instanceof Cluster)) return 'single';
    const slots = (this.client as Cluster & { slots: string[][] }).slots;
    return slots[calculateSlot(key)]?.[0] ?? 'unknown';
  }

  /**
   * Fewer replicas than asked confirmed in time: typically a shard just failed over and has
   * none left. The save stands (availability over a durability nobody can give right now);
   * saves acknowledged by enough replicas are the ones that survive a failover.
   */
  private warnShortfall(acked: number): void {
    const now = Date.now();
    if (now - this.lastShortfallWarning < 10_000) return;
    this.lastShortfallWarning = now;
    this.logger.warn(
      `Session save confirmed by ${acked} of ${this.settings.durableReplicas} replicas; accepted`,
    );
  }

  async delete(id: string): Promise<boolean> {
    return (await this.call(() => this.client.del(this.sessionKey(id)))) === 1;
  }

  async index(principal: string, id: string, ttlSeconds: number): Promise<void> {
    await this.call(() =>
      this.client.indexSession(this.indexKey(principal), id, ttlSeconds * 1_000),
    );
  }

  async unindex(principal: string, id: string): Promise<void> {
    await this.call(() => this.client.srem(this.indexKey(principal), id));
  }

  async findByPrincipal(principal: string): Promise<string[]> {
    const key = this.indexKey(principal);
    const ids = await this.call(() => this.client.smembers(key));
    // Separate commands: the sessions live in other slots than the index.
    const alive = await this.call(() =>
      Promise.all(ids.map((id) => this.client.exists(this.sessionKey(id)))),
    );
    const stale = ids.filter((_, i) => alive[i] === 0);
    if (stale.length > 0) await this.call(() => this.client.srem(key, ...stale));
    return ids.filter((_, i) => alive[i] === 1);
  }

  async hit(bucket: string, windowMs: number, amount = 1): Promise<number> {
    const key = `${this.settings.namespace}:rate:${bucket}`;
    return this.call(() => this.client.countInWindow(key, windowMs, amount));
  }

  onExpired(listener: (id: string) => void): void {
    if (this.settings.keyspaceNotifications === 'off') return;
    const prefix = this.sessionKey('');
    const nodes = this.client instanceof Cluster ? this.client.nodes('all') : [this.client];
    for (const node of nodes) {
      const subscriber = node.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
      subscriber.on('error', () => undefined);
      subscriber.on('pmessage', (_pattern: string, _channel: string, key: string) => {
        if (key.startsWith(prefix)) listener(key.slice(prefix.length));
      });
      this.subscribers.push(subscriber);
      // The subscriber queues offline, so this lands once it connects and ioredis re-subscribes.
      subscriber.psubscribe('__keyevent@*__:expired').catch(() => undefined);
      if (this.settings.keyspaceNotifications === 'configure') this.configureOnReady(node);
    }
  }

  /**
   * The command connection fails fast while offline, so the setting is applied once it is ready,
   * and again after every reconnect (a restarted or failed-over Redis starts with it off).
   */
  private configureOnReady(node: Redis): void {
    node.on('ready', () => void this.enableExpiryEvents(node));
    if (node.status === 'ready') void this.enableExpiryEvents(node);
  }

  private async enableExpiryEvents(node: Redis): Promise<void> {
    try {
      const [, flags = ''] = (await node.config('GET', 'notify-keyspace-events')) as string[];
      if (flags.includes('E') && (flags.includes('x') || flags.includes('A'))) return;
      await node.config('SET', 'notify-keyspace-events', [...new Set(flags + 'Ex')].join(''));
    } catch (err) {
      this.logger.warn(
        `No session expiry events (set SESSION_KEYSPACE_EVENTS=assume or off on managed Redis): ${String(err)}`,
      );
    }
  }

  async ping(): Promise<void> {
    const nodes = this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
    if (nodes.length === 0) throw new SessionStoreUnavailableError('no cluster master reachable');
    await this.call(() => Promise.all(nodes.map((n) => n.ping())));
  }

  async ready(timeoutMs: number): Promise<boolean> {
    if (this.client.status === 'ready') return true;
    let timer: NodeJS.Timeout | undefined;
    const ready = await Promise.race([
      new Promise<boolean>((resolve) => this.client.once('ready', () => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return ready;
  }

  async close(): Promise<void> {
    for (const s of this.subscribers) s.disconnect();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private indexKey(principal: string): string {
    return `${this.settings.namespace}:index:principal:${principal}`;
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      throw new SessionStoreUnavailableError(err);
    }
  }
}

/** A Redis store on the deployment that `connection` names (standalone, Cluster or Sentinel). */
export function createRedisSessionStore(
  connection: RedisConnection,
  settings: RedisStoreSettings & RedisClientLimits,
): RedisSessionStore {
  const kind = connection.mode === 'standalone' ? 'redis' : `redis-${connection.mode}`;
  // WAIT blocks up to its timeout when replicas are missing; it must end before the command times out.
  const durableTimeoutMs = Math.min(settings.durableTimeoutMs, settings.commandTimeoutMs / 2);
  const client = createRedisClient(connection, settings);
  return new RedisSessionStore(client, { ...settings, durableTimeoutMs }, kind);
}
