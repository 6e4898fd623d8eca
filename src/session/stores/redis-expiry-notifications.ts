import { Logger } from '@nestjs/common';
import Redis, { Cluster } from 'ioredis';

export type KeyspaceNotifications = 'configure' | 'assume' | 'off';

/**
 * Session expiry events from Redis keyspace notifications (best effort, at most once): one
 * subscriber per node, since a cluster node only reports its own keys. With "configure",
 * `notify-keyspace-events` is set each time a node's connection becomes ready, so it also
 * holds after a reconnect to a restarted or failed-over node; a refusal (managed Redis) is a
 * warning, not a failure.
 */
export class RedisExpiryNotifications {
  private readonly logger = new Logger('RedisSessionStore');
  private readonly subscribers: Redis[] = [];
  private readonly watched = new Set<Redis>();

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
    for (const node of this.client.nodes('all')) this.watch(node, listener);
  }

  close(): void {
    for (const subscriber of this.subscribers) subscriber.disconnect();
  }

  private watch(node: Redis, listener: (id: string) => void): void {
    if (this.watched.has(node)) return;
    this.watched.add(node);
    if (this.mode === 'configure') {
      node.on('ready', () => void this.configure(node));
      if (node.status === 'ready') void this.configure(node);
    }
    const subscriber = node.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
    subscriber.on('error', () => undefined);
    subscriber.on('pmessage', (_pattern: string, _channel: string, key: string) => {
      if (key.startsWith(this.prefix)) listener(key.slice(this.prefix.length));
    });
    this.subscribers.push(subscriber);
    subscriber.psubscribe('__keyevent@*__:expired').catch((err: unknown) => this.warn(err));
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
      `No session expiry events (set SESSION_KEYSPACE_EVENTS=assume or off on managed Redis): ${String(err)}`,
    );
  }
}
