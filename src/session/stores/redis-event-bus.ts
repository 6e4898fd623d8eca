import { Logger } from '@nestjs/common';
import calculateSlot from 'cluster-key-slot';
import Redis, { Cluster } from 'ioredis';

/**
 * Pub/sub on the store's own deployment: one channel, `<namespace>:events`. On a cluster every
 * instance publishes through the master that owns the channel's slot, so that messages leave
 * one node in the order they were sent (the cluster bus then broadcasts them to every node);
 * the subscriber is a connection of its own, re-subscribed by ioredis after a reconnect.
 */
export class RedisEventBus {
  private readonly logger = new Logger('RedisSessionStore');
  private readonly subscribers: Array<Redis | Cluster> = [];

  constructor(
    private readonly client: Redis | Cluster,
    private readonly channel: string,
  ) {}

  async publish(message: string): Promise<void> {
    await this.publisher().publish(this.channel, message);
  }

  subscribe(listener: (message: string) => void): void {
    const subscriber =
      this.client instanceof Cluster
        ? this.client.duplicate(undefined, { enableOfflineQueue: true })
        : this.client.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) listener(message);
    });
    subscriber.subscribe(this.channel).catch((err: unknown) => {
      this.logger.warn(`No session events from other instances: ${String(err)}`);
    });
    this.subscribers.push(subscriber);
  }

  close(): void {
    for (const subscriber of this.subscribers) subscriber.disconnect();
  }

  private publisher(): Redis | Cluster {
    if (!(this.client instanceof Cluster)) return this.client;
    const owner = (this.client as Cluster & { slots: string[][] }).slots[
      calculateSlot(this.channel)
    ]?.[0];
    const master = this.client
      .nodes('master')
      .find((n) => `${n.options.host}:${n.options.port}` === owner);
    return master ?? this.client;
  }
}
