import { Logger } from '@nestjs/common';
import Redis, { Cluster } from 'ioredis';

export type KeyspaceNotifications = 'configure' | 'assume' | 'off';

/**
 * Session expiry events from Redis keyspace notifications (best effort, at most once): one
 * subscriber per node, since a cluster node only reports its own keys. With "configure",
 * `notify-keyspace-events` is set each time a node's connection becomes ready, so it also
 * holds after a reconnect to a restarted or failed-over node; a refusal (managed Redis) is a
 * warning, not a failure. A node that leaves the cluster client's pool takes its subscriber
 * along: ioredis re-adds a node that comes back as a new object, and a subscriber left behind
 * would report each expiry a second time.
 */
export class RedisExpiryNotifications {
  private readonly logger = new Logger('RedisSessionStore');
  /** By node address, since a node that comes back is a new object for the same server. */
  private readonly watched = new Map<string, { node: Redis; subscriber: Redis }>();

  constructor(
    private readonly client: Redis | Cluster,
    private readonly mode: KeyspaceNotifications,
    /** Key prefix of the sessions; the rest of an expired key is the session id. */
    private readonly prefix: string,
  ) {}

  listen(listener: (id: string) => void): void {
    if (this.mode === 'off') return;
    if (!(this.client instanceof Cluster)) return this.watch(this.client, listener);
    // Nodes join as the cluster connects and after failovers.
    this.client.on('+node', (node: Redis) => this.watch(node, listener));
    this.client.on('-node', (node: Redis) => this.unwatch(node));
    for (const node of this.client.nodes('all')) this.watch(node, listener);
  }

  close(): void {
    for (const { subscriber } of this.watched.values()) subscriber.disconnect();
    this.watched.clear();
  }

  private watch(node: Redis, listener: (id: string) => void): void {
    const address = addressOf(node);
    if (this.watched.has(address)) return;
    if (this.mode === 'configure') {
      node.on('ready', () => void this.configure(node));
      if (node.status === 'ready') void this.configure(node);
    }
    const subscriber = node.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
    subscriber.on('error', () => undefined);
    subscriber.on('pmessage', (_pattern: string, _channel: string, key: string) => {
      if (key.startsWith(this.prefix)) listener(key.slice(this.prefix.length));
    });
    this.watched.set(address, { node, subscriber });
    subscriber.psubscribe('__keyevent@*__:expired').catch((err: unknown) => {
      // Not a failure when the node left the pool first and its subscriber was closed with it.
      if (this.watched.get(address)?.subscriber === subscriber) this.warn(err);
    });
  }

  private unwatch(node: Redis): void {
    const address = addressOf(node);
    const watched = this.watched.get(address);
    // The cluster also reports its own sharded-subscriber connections leaving.
    if (watched?.node !== node) return;
    watched.subscriber.disconnect();
    this.watched.delete(address);
  }

  /** Adds "Ex" (keyevent, expired) to the node's flags unless they already cover it. */
  private async configure(node: Redis): Promise<void> {
    try {
      const [, flags = ''] = (await node.config('GET', 'notify-keyspace-events')) as string[];
      if (flags.includes('E') && (flags.includes('x') || flags.includes('A'))) return;
      const wanted = [...new Set((flags + 'Ex').split(''))].join('');
      await node.config('SET', 'notify-keyspace-events', wanted);
    } catch (err) {
      this.warn(err);
    }
  }

  private warn(err: unknown): void {
    this.logger.warn(
      `No session expiry events (keyspaceNotifications 'assume' or 'off' suits managed Redis): ${String(err)}`,
    );
  }
}

const addressOf = (node: Redis) => `${node.options.host}:${node.options.port}`;
