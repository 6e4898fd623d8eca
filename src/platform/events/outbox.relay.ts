import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MessageBroker } from './broker/message-broker';
import { OutboxDestination, OutboxListener } from './outbox';
import { DeliveryLoop, NamedListener, OutboxSettings } from './outbox-delivery-loop';

export type { OutboxSettings } from './outbox-delivery-loop';
export const OUTBOX_SETTINGS = Symbol('OUTBOX_SETTINGS');

/**
 * Delivers outbox events after commit, and at start-up whatever an earlier process left
 * undelivered, to each destination this instance serves: its in-process listeners always,
 * the broker when RABBITMQ_URL is set. Each destination has its own loop and marks, so a
 * broker outage delays no in-process listener and a broker-less instance never touches the
 * broker's marks.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly listeners = new Map<string, NamedListener[]>();
  private readonly loops: DeliveryLoop[];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(OUTBOX_SETTINGS) settings: OutboxSettings,
    broker: MessageBroker,
  ) {
    const served: OutboxDestination[] = broker.enabled ? ['in-process', 'broker'] : ['in-process'];
    this.loops = served.map(
      (destination) =>
        new DeliveryLoop(db, destination, (type) => this.listenersOf(destination, type), settings),
    );
  }

  /** The destinations this instance delivers to. */
  get destinations(): OutboxDestination[] {
    return this.loops.map((loop) => loop.destination);
  }

  /** Adds a listener for `type` at `destination`; an instance not serving it never calls it. */
  on(
    type: string,
    name: string,
    fn: OutboxListener,
    destination: OutboxDestination = 'in-process',
  ): void {
    const key = `${destination} ${type}`;
    this.listeners.set(key, [...(this.listeners.get(key) ?? []), { name, fn }]);
  }

  /**
   * Registers this instance's destinations before it serves a request, so every event
   * written from then on, by any instance, waits for them.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.db.query(
      `INSERT INTO events.destinations (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`,
      [this.destinations],
    );
    this.kick();
  }

  /** Deliver soon: called after a commit that published events. */
  kick(): void {
    for (const loop of this.loops) loop.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }

  /** One pass over every destination served here; returns how many deliveries it made. */
  async drain(): Promise<number> {
    const counts = await Promise.all(this.loops.map((loop) => loop.drain()));
    return counts.reduce((a, b) => a + b, 0);
  }

  private listenersOf(destination: OutboxDestination, type: string): readonly NamedListener[] {
    return this.listeners.get(`${destination} ${type}`) ?? [];
  }
}
