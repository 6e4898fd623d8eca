import { connect, ConsumeMessage } from 'amqplib';
import { randomBytes } from 'node:crypto';

/** The machine's RabbitMQ; tests isolate themselves by an exchange and queues of their own. */
export const TEST_RABBITMQ_URL =
  process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** The most retry queues an app declares (RABBITMQ_MAX_ATTEMPTS is at most 10). */
const MAX_RETRY_QUEUES = 9;

/** A test's own exchange with an exclusive queue bound to it, collecting what arrives. */
export interface TestExchange {
  exchange: string;
  /** The app's consumer queue on this exchange; its retry queues and DLQ are named after it. */
  queue: string;
  /** RABBITMQ_EXCHANGE and RABBITMQ_QUEUE for an app that uses this exchange. */
  appEnv: { RABBITMQ_EXCHANGE: string; RABBITMQ_QUEUE: string };
  messages: ConsumeMessage[];
  /** The parsed bodies of the messages received so far. */
  bodies(): Array<Record<string, any>>;
  /** Deletes the exchange and the app's queues (the exclusive queue goes with the connection). */
  close(): Promise<void>;
}

export async function testExchange(routingKey: string): Promise<TestExchange> {
  const exchange = `bookstore.test.${randomBytes(6).toString('hex')}`;
  const queue = `${exchange}.consumer`;
  const connection = await connect(TEST_RABBITMQ_URL);
  const channel = await connection.createChannel();
  // As the app declares it: declaring it differently would fail.
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue: collector } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(collector, exchange, routingKey);
  const messages: ConsumeMessage[] = [];
  await channel.consume(collector, (m) => m && messages.push(m), { noAck: true });
  return {
    exchange,
    queue,
    appEnv: { RABBITMQ_EXCHANGE: exchange, RABBITMQ_QUEUE: queue },
    messages,
    bodies: () => messages.map((m) => JSON.parse(m.content.toString()) as Record<string, any>),
    async close() {
      const retries = Array.from({ length: MAX_RETRY_QUEUES }, (_, k) => `${queue}.retry.${k + 1}`);
      for (const name of [queue, `${queue}.dlq`, ...retries]) {
        await channel.deleteQueue(name).catch(() => undefined);
      }
      await channel.deleteExchange(exchange).catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}
