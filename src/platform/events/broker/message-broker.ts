import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ChannelModel, connect, ConfirmChannel } from 'amqplib';
import { BROKER_SETTINGS, BrokerSettings } from './broker.settings';

const CONNECT_TIMEOUT_MS = 5_000;
const CONFIRM_TIMEOUT_MS = 5_000;
/** After a failed connect, publishes fail at once for this long instead of each dialling. */
const RECONNECT_PAUSE_MS = 1_000;

/** AMQP properties of one published message; the message id is the consumer's dedup key. */
export interface MessageProperties {
  messageId: string;
  type: string;
  timestamp: Date;
}

/**
 * Publishes JSON messages to RabbitMQ: persistent, confirmed by the broker. It connects
 * lazily and fails fast while the broker is unreachable; the outbox relay retries with
 * backoff, so nothing here queues or retries.
 */
@Injectable()
export class MessageBroker implements OnApplicationShutdown {
  private readonly logger = new Logger('MessageBroker');
  private channel?: Promise<ConfirmChannel>;
  private model?: ChannelModel;
  private failedAt = 0;

  constructor(@Inject(BROKER_SETTINGS) private readonly settings: BrokerSettings) {}

  get enabled(): boolean {
    return this.settings.url !== undefined;
  }

  /** Resolves once the broker has confirmed the message (it is then on disk in its queues). */
  async publish(routingKey: string, body: object, props: MessageProperties): Promise<void> {
    const channel = await this.connected();
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
        timer = setTimeout(
          () => reject(new Error('no broker confirm in time')),
          CONFIRM_TIMEOUT_MS,
        );
        channel.publish(this.settings.exchange, routingKey, content, options, (err) =>
          err ? reject(new Error(`broker refused the message: ${String(err)}`)) : resolve(),
        );
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the broker is reachable now (connects if need be), answered within timeoutMs. */
  async ping(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
    const reachable = this.connected().then(
      () => true,
      () => false,
    );
    return Promise.race([reachable, late]).finally(() => clearTimeout(timer));
  }

  async onApplicationShutdown(): Promise<void> {
    const model = this.model;
    this.reset();
    await model?.close().catch(() => undefined);
  }

  private connected(): Promise<ConfirmChannel> {
    if (!this.enabled) return Promise.reject(new Error('no RABBITMQ_URL configured'));
    if (!this.channel && Date.now() - this.failedAt < RECONNECT_PAUSE_MS) {
      return Promise.reject(new Error('broker unreachable (reconnect paused)'));
    }
    this.channel ??= this.connect().catch((err: unknown) => {
      this.failedAt = Date.now();
      this.reset();
      throw err;
    });
    return this.channel;
  }

  private async connect(): Promise<ConfirmChannel> {
    const model = await connect(this.settings.url!, {
      timeout: CONNECT_TIMEOUT_MS,
      clientProperties: { connection_name: 'bookstore' },
    });
    model.on('error', (err: Error) => this.logger.warn(`Broker connection error: ${err.message}`));
    try {
      const channel = await model.createConfirmChannel();
      channel.on('error', (err: Error) => this.logger.warn(`Broker channel error: ${err.message}`));
      await channel.assertExchange(this.settings.exchange, 'topic', { durable: true });
      this.model = model;
      model.on('close', () => this.dropped(model));
      channel.on('close', () => this.dropped(model));
      this.logger.log(`Connected to the broker; publishing to exchange ${this.settings.exchange}`);
      return channel;
    } catch (err) {
      await model.close().catch(() => undefined);
      throw err;
    }
  }

  /** The connection or its channel closed: the next publish reconnects. */
  private dropped(model: ChannelModel): void {
    if (this.model !== model) return;
    this.logger.warn('Broker connection lost; the next publish reconnects');
    this.reset();
    model.close().catch(() => undefined);
  }

  private reset(): void {
    this.channel = undefined;
    this.model = undefined;
  }
}
