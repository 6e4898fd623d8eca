import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { Registry } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { METRICS_REGISTRY } from '../../observability/http-metrics';
import { within } from '../../within';
import { firstProcessing } from '../processed-events';
import { openBrokerConnection } from './broker-connection';
import { BROKER_SETTINGS, BrokerSettings } from './broker.settings';
import { ConsumerMetrics } from './consumer-metrics';
import { attemptOf, declareConsumerQueues, retryQueue } from './retry-topology';

/** Handles one message's body inside the consumer's transaction; runs once per event id. */
export type MessageHandler = (body: Record<string, unknown>, tx: EntityManager) => Promise<void>;

/** What readiness shows of the consumer. */
export interface ConsumerStatus {
  status: 'up' | 'down';
  queue: string;
}

const PREFETCH = 20;
const CONFIRM_TIMEOUT_MS = 5_000;
const DRAIN_TIMEOUT_MS = 5_000;
const CLOSE_TIMEOUT_MS = 1_000;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/**
 * The app's RabbitMQ consumer: takes the messages of the types handlers subscribed to from
 * its durable queue, and runs each message's handlers in one database transaction, each
 * skipped if it already processed that event id. It acks after the commit; a failure sends
 * the message through the next retry queue, and the last allowed attempt's failure to the
 * dead-letter queue. After a lost connection it reconnects with backoff; whatever was
 * delivered and not acked meanwhile is redelivered, and the event-id check skips what had
 * committed.
 */
@Injectable()
export class MessageConsumer
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('MessageConsumer');
  private readonly handlers = new Map<string, Array<{ name: string; fn: MessageHandler }>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly metrics: ConsumerMetrics;
  private model?: ChannelModel;
  /** Cancels the subscription: no more deliveries, while the channel stays open for acks. */
  private cancel?: () => Promise<unknown>;
  private consuming = false;
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    @Inject(BROKER_SETTINGS) private readonly settings: BrokerSettings,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.metrics = new ConsumerMetrics(registry);
  }

  get enabled(): boolean {
    return this.settings.url !== undefined && this.handlers.size > 0;
  }

  /** Subscribes `fn` to messages of AMQP type (and routing key) `type`, under a unique name. */
  on(type: string, name: string, fn: MessageHandler): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), { name, fn }]);
  }

  status(): ConsumerStatus {
    return { status: this.consuming ? 'up' : 'down', queue: this.settings.consumer.queue };
  }

  onApplicationBootstrap(): void {
    if (this.enabled) this.loop = this.run();
  }

  /** Stops taking messages and lets those in hand finish while the database is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const stopping = (this.cancel?.() ?? Promise.resolve()).catch(() => undefined);
    const drained = Promise.all([stopping, ...this.inFlight]).then(() => undefined);
    await within(drained, DRAIN_TIMEOUT_MS, undefined);
    // A broker that stopped answering never acknowledges the close.
    const closed = this.model?.close().catch(() => undefined) ?? Promise.resolve();
    await within(closed, CLOSE_TIMEOUT_MS, undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await within(this.loop ?? Promise.resolve(), DRAIN_TIMEOUT_MS, undefined);
  }

  private async run(): Promise<void> {
    let pause = RECONNECT_MIN_MS;
    while (!this.stopped) {
      try {
        await this.consumeUntilClosed();
        pause = RECONNECT_MIN_MS;
      } catch (err) {
        this.logger.warn(`Consumer cannot reach the broker: ${String(err)}`);
      }
      if (this.stopped) return;
      await new Promise((resolve) => setTimeout(resolve, pause).unref());
      pause = Math.min(pause * 2, RECONNECT_MAX_MS);
    }
  }

  private async consumeUntilClosed(): Promise<void> {
    const model = await openBrokerConnection(this.settings.url!, 'bookstore-consumer', this.logger);
    this.model = model;
    try {
      const closed = new Promise<void>((resolve) => model.once('close', () => resolve()));
      const channel = await model.createConfirmChannel();
      channel.on('error', (err: Error) =>
        this.logger.warn(`Consumer channel error: ${err.message}`),
      );
      channel.once('close', () => void model.close().catch(() => undefined));
      const q = this.settings.consumer;
      await declareConsumerQueues(channel, this.settings.exchange, q, [...this.handlers.keys()]);
      await channel.prefetch(PREFETCH);
      if (this.stopped) return;
      const { consumerTag } = await channel.consume(
        q.queue,
        (m) => m && this.track(this.handle(channel, m)),
      );
      this.cancel = () => channel.cancel(consumerTag);
      this.consuming = true;
      this.logger.log(`Consuming ${q.queue} (bound to ${this.settings.exchange})`);
      await closed;
      if (!this.stopped) this.logger.warn('Consumer connection lost; reconnecting');
    } finally {
      this.consuming = false;
      this.model = undefined;
      this.cancel = undefined;
      await model.close().catch(() => undefined);
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async handle(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    // The AMQP type, or for a publisher that sets none the routing key (retry copies keep the type).
    const declared = (message.properties.type as string | undefined) ?? message.fields.routingKey;
    const handlers = this.handlers.get(declared) ?? [];
    const type = handlers.length > 0 ? declared : 'unknown';
    let processed: boolean;
    try {
      processed = await this.process(message, handlers);
    } catch (err) {
      return this.failed(channel, message, type, err);
    }
    this.metrics.consumed.inc({ type, outcome: processed ? 'processed' : 'duplicate' });
    try {
      channel.ack(message);
    } catch {
      // The channel closed after the commit: the redelivery will be skipped as a duplicate.
    }
  }

  /** Runs the handlers in one transaction; false when every one had processed the event. */
  private async process(
    message: ConsumeMessage,
    handlers: Array<{ name: string; fn: MessageHandler }>,
  ): Promise<boolean> {
    const body = JSON.parse(message.content.toString()) as Record<string, unknown>;
    const eventId = (message.properties.messageId ?? body.eventId) as string | undefined;
    if (!eventId) throw new Error('message without a message id or eventId');
    if (handlers.length === 0) throw new Error('no handler for the message type');
    return this.db.transaction(async (tx) => {
      let ran = false;
      for (const { name, fn } of handlers) {
        if (!(await firstProcessing(tx, name, eventId))) continue;
        await fn(body, tx);
        ran = true;
      }
      return ran;
    });
  }

  private async failed(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    type: string,
    err: unknown,
  ): Promise<void> {
    const q = this.settings.consumer;
    const attempt = attemptOf(message, q);
    const id = String(message.properties.messageId);
    try {
      if (attempt >= q.maxAttempts) {
        // Rejected, the work queue dead-letters it: the broker moves it, nothing is lost between.
        channel.nack(message, false, false);
        this.metrics.deadLettered.inc({ type });
        this.logger.error(`Message ${id} failed attempt ${attempt}, dead-lettered: ${String(err)}`);
        return;
      }
      await this.publishRetry(channel, message, retryQueue(q, attempt));
      channel.ack(message);
      this.metrics.retried.inc({ type });
      this.logger.warn(`Message ${id} failed attempt ${attempt}, will retry: ${String(err)}`);
    } catch (e) {
      // The channel is gone: the broker redelivers the message to the next connection.
      this.logger.warn(`Message ${id} left for redelivery: ${String(e)}`);
    }
  }

  /** A confirmed copy into the retry queue (the original is acked only once it is safe). */
  private async publishRetry(channel: ConfirmChannel, m: ConsumeMessage, queue: string) {
    const p = m.properties as Options.Publish;
    // The same message (`x-death` included); a per-message expiration would cut its wait short.
    const options: Options.Publish = {
      persistent: true,
      contentType: p.contentType,
      contentEncoding: p.contentEncoding,
      headers: m.properties.headers,
      messageId: p.messageId,
      type: p.type,
      timestamp: p.timestamp,
      appId: p.appId,
      correlationId: p.correlationId,
    };
    const confirmed = new Promise<boolean>((resolve, reject) =>
      channel.publish('', queue, m.content, options, (err) =>
        err ? reject(new Error(`broker refused the retry: ${String(err)}`)) : resolve(true),
      ),
    );
    if (!(await within(confirmed, CONFIRM_TIMEOUT_MS, false))) {
      throw new Error('no broker confirm for the retry in time');
    }
  }
}
