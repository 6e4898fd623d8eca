import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ChannelModel, ConfirmChannel } from 'amqplib';
import { DestinationUnavailableError } from '../outbox';
import { openBrokerConnection } from './broker-connection';
import { BROKER_SETTINGS, BrokerSettings } from './broker.settings';
import { within } from '../../within';

const CONFIRM_TIMEOUT_MS = 5_000;
const CLOSE_TIMEOUT_MS = 1_000;
/** After a failed connect, publishes fail at once for this long instead of each dialling. */
const RECONNECT_PAUSE_MS = 1_000;

/** AMQP properties of one published message; the message id is the consumer's dedup key. */
export interface MessageProperties {
  messageId: string;
  type: string;
  timestamp: Date;
}

interface Link {
  model: ChannelModel;
  channel: ConfirmChannel;
}

/**
 * Publishes JSON messages to RabbitMQ: persistent, confirmed by the broker. It connects
 * lazily and fails fast while the broker is unreachable; the outbox relay retries with
 * backoff, so nothing here queues or retries.
 */
@Injectable()
export class MessageBroker implements OnApplicationShutdown {
  private readonly logger = new Logger('MessageBroker');
  private link?: Promise<Link>;
  private model?: ChannelModel;
  private failedAt = 0;

  constructor(@Inject(BROKER_SETTINGS) private readonly settings: BrokerSettings) {}

  get enabled(): boolean {
    return this.settings.url !== undefined;
  }

  /**
   * Resolves once the broker has confirmed the message (it is then on disk in its queues).
   * Unreachable or silent: a DestinationUnavailableError, so the relay stops trying the batch.
   */
  async publish(routingKey: string, body: object, props: MessageProperties): Promise<void> {
    const { model, channel } = await this.connected().catch((err: unknown) => {
      throw new DestinationUnavailableError(err instanceof Error ? err.message : String(err));
    });
    const content = Buffer.from(JSON.stringify(body));
    const options = {
      persistent: true,
      contentType: 'application/json',
      messageId: props.messageId,
      type: props.type,
      timestamp: Math.floor(props.timestamp.getTime() / 1_000),
      appId: 'bookstore',
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => {
          // A broker that stopped answering may keep the socket open: on this connection
          // every later publish would wait out its confirm too.
          this.dropped(model);
          reject(new DestinationUnavailableError('no broker confirm in time'));
        }, CONFIRM_TIMEOUT_MS);
        channel.publish(this.settings.exchange, routingKey, content, options, (err) =>
          err ? reject(new Error(`broker refused the message: ${String(err)}`)) : resolve(),
        );
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the broker is reachable now (connects if need be), answered within timeoutMs. */
  ping(timeoutMs: number): Promise<boolean> {
    const reachable = this.connected().then(
      () => true,
      () => false,
    );
    return within(reachable, timeoutMs, false);
  }

  async onApplicationShutdown(): Promise<void> {
    const model = this.model;
    this.reset();
    if (!model) return;
    // A broker that stopped answering never acknowledges the close.
    const closed = model.close().catch(() => undefined);
    await within(closed, CLOSE_TIMEOUT_MS, undefined);
  }

  private connected(): Promise<Link> {
    if (!this.enabled) return Promise.reject(new Error('no RABBITMQ_URL configured'));
    if (!this.link && Date.now() - this.failedAt < RECONNECT_PAUSE_MS) {
      return Promise.reject(new Error('broker unreachable (reconnect paused)'));
    }
    this.link ??= this.connect().catch((err: unknown) => {
      this.failedAt = Date.now();
      this.reset();
      throw err;
    });
    return this.link;
  }

  private async connect(): Promise<Link> {
    const model = await openBrokerConnection(this.settings.url!, 'bookstore', this.logger);
    try {
      const channel = await model.createConfirmChannel();
      channel.on('error', (err: Error) => this.logger.warn(`Broker channel error: ${err.message}`));
      await channel.assertExchange(this.settings.exchange, 'topic', { durable: true });
      this.model = model;
      model.on('close', () => this.dropped(model));
      channel.on('close', () => this.dropped(model));
      this.logger.log(`Connected to the broker; publishing to exchange ${this.settings.exchange}`);
      return { model, channel };
    } catch (err) {
      await model.close().catch(() => undefined);
      throw err;
    }
  }

  /** The connection closed (or its channel did) or stopped confirming: reconnect next time. */
  private dropped(model: ChannelModel): void {
    if (this.model !== model) return;
    this.logger.warn('Broker connection lost; the next publish reconnects');
    this.reset();
    model.close().catch(() => undefined);
  }

  private reset(): void {
    this.link = undefined;
    this.model = undefined;
  }
}
