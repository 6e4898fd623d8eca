import { connect, ConsumeMessage } from 'amqplib';
import { randomBytes } from 'node:crypto';

/** The machine's RabbitMQ; tests isolate themselves by an exchange of their own. */
export const TEST_RABBITMQ_URL =
  process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A test's own exchange with an exclusive queue bound to it, collecting what arrives. */
export interface TestExchange {
  exchange: string;
  messages: ConsumeMessage[];
  /** The parsed bodies of the messages received so far. */
  bodies(): Array<Record<string, any>>;
  /** Deletes the exchange (the exclusive queue goes with the connection). */
  close(): Promise<void>;
}

export async function testExchange(routingKey: string): Promise<TestExchange> {
  const exchange = `bookstore.test.${randomBytes(6).toString('hex')}`;
  const connection = await connect(TEST_RABBITMQ_URL);
  const channel = await connection.createChannel();
  // As the app declares it: declaring it differently would fail.
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, routingKey);
  const messages: ConsumeMessage[] = [];
  await channel.consume(queue, (m) => m && messages.push(m), { noAck: true });
  return {
    exchange,
    messages,
    bodies: () => messages.map((m) => JSON.parse(m.content.toString()) as Record<string, any>),
    async close() {
      await channel.deleteExchange(exchange).catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}
