import Redis, { Cluster } from 'ioredis';
import { createRedisClient, RedisClientLimits, RedisConnection } from './redis-connection';
import { RedisDurableWriter } from './redis-durable-writer';
import { RedisEventBus } from './redis-event-bus';
import { KeyspaceNotifications, RedisExpiryNotifications } from './redis-expiry-notifications';
import { COUNT_IN_WINDOW, INDEX_SESSION } from './redis-scripts';
import { decodeSession, decodeWriteReply, encodeWrite } from './redis-session-codec';
import {
  PrincipalIndex,
  RateCounter,
  SessionEventBus,
  SessionRecord,
  SessionStore,
  SessionStoreError,
  SessionWrite,
  WriteResult,
} from './session-store';

type ScriptClient = (Redis | Cluster) & {
  indexSession(key: string, id: string, ttlMs: number): Promise<number>;
  countInWindow(key: string, windowMs: number, amount: number): Promise<number>;
};

export interface RedisStoreSettings {
  namespace: string;
  /** Replicas that must acknowledge each write (WAIT); 0: don't wait. */
  durableReplicas: number;
  durableTimeoutMs: number;
  /** "configure": CONFIG SET notify-keyspace-events; "assume": already set; "off": no expiry events. */
  keyspaceNotifications: KeyspaceNotifications;
}

/** Every command failure (refused, timed out, disconnected) is the store being unavailable. */
const unavailable = (err: unknown): never => {
  throw new SessionStoreError(err);
};

/**
 * Spring Session's Redis layout: hash `<namespace>:sessions:<id>` with creationTime,
 * lastAccessedTime, maxInactiveInterval and sessionAttr:<name> (JSON); TTL = timeout.
 * Every single-session operation is one command or script on one key.
 */
export class RedisSessionStore
  implements SessionStore, PrincipalIndex, RateCounter, SessionEventBus
{
  private readonly client: ScriptClient;
  private readonly writer: RedisDurableWriter;
  private readonly expiry: RedisExpiryNotifications;
  private readonly events: RedisEventBus;
  private readonly sessionPrefix: string;

  constructor(
    client: Redis | Cluster,
    private readonly settings: RedisStoreSettings,
    readonly kind: string,
  ) {
    client.defineCommand('indexSession', { numberOfKeys: 1, lua: INDEX_SESSION });
    client.defineCommand('countInWindow', { numberOfKeys: 1, lua: COUNT_IN_WINDOW });
    // Errors surface per command; without a listener ioredis would also print each one.
    client.on('error', () => undefined);
    this.client = client as ScriptClient;
    this.sessionPrefix = `${settings.namespace}:sessions:`;
    this.writer = new RedisDurableWriter(client, settings);
    this.events = new RedisEventBus(client, `${settings.namespace}:events`);
    this.expiry = new RedisExpiryNotifications(
      client,
      settings.keyspaceNotifications,
      this.sessionPrefix,
    );
  }

  sessionKey(id: string): string {
    return this.sessionPrefix + id;
  }

  // The hot path: one promise per call, no async wrapper around it.
  load(id: string): Promise<SessionRecord | null> {
    return this.client.hgetall(this.sessionKey(id)).then(decodeSession, unavailable);
  }

  write(id: string, change: SessionWrite): Promise<WriteResult> {
    const key = this.sessionKey(id);
    return this.writer.write(key, encodeWrite(change)).then(decodeWriteReply, unavailable);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.client.del(this.sessionKey(id)).catch(unavailable)) === 1;
  }

  async index(principal: string, id: string, ttlSeconds: number): Promise<void> {
    const key = this.indexKey(principal);
    await this.client.indexSession(key, id, ttlSeconds * 1_000).catch(unavailable);
  }

  async unindex(principal: string, id: string): Promise<void> {
    await this.client.srem(this.indexKey(principal), id).catch(unavailable);
  }

  async findByPrincipal(principal: string): Promise<string[]> {
    const key = this.indexKey(principal);
    const ids = await this.client.smembers(key).catch(unavailable);
    // Separate commands: the sessions live in other slots than the index.
    const exists = (id: string) => this.client.exists(this.sessionKey(id));
    const alive = await Promise.all(ids.map(exists)).catch(unavailable);
    const stale = ids.filter((_, i) => alive[i] === 0);
    if (stale.length > 0) await this.client.srem(key, ...stale).catch(unavailable);
    return ids.filter((_, i) => alive[i] === 1);
  }

  hit(bucket: string, windowMs: number, amount = 1): Promise<number> {
    const key = `${this.settings.namespace}:rate:${bucket}`;
    return this.client.countInWindow(key, windowMs, amount).catch(unavailable);
  }

  publish(message: string): Promise<void> {
    return this.events.publish(message).catch(unavailable);
  }

  subscribe(listener: (message: string) => void): void {
    this.events.subscribe(listener);
  }

  onExpired(listener: (id: string) => void): void {
    this.expiry.listen(listener);
  }

  async ping(): Promise<void> {
    const nodes = this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
    if (nodes.length === 0) throw new SessionStoreError('no cluster master reachable');
    await Promise.all(nodes.map((n) => n.ping())).catch(unavailable);
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
    this.expiry.close();
    this.events.close();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private indexKey(principal: string): string {
    return `${this.settings.namespace}:index:principal:${principal}`;
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
