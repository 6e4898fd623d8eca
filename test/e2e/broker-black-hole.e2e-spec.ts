import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { brokerSettings } from '../../src/platform/events/broker/broker.settings';
import { MessageBroker } from '../../src/platform/events/broker/message-broker';
import { startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { orderCreatedPayload } from '../support/events';
import { waitFor } from '../support/http';
import { settlesWithin } from '../support/processes';
import { TEST_RABBITMQ_URL, testExchange, TestExchange } from '../support/rabbitmq';
import { TcpProxy } from '../support/tcp-proxy';

/** The relay's default batch. */
const BATCH = 20;
/** Far above the one confirm timeout a batch now waits; far below 20 of them. */
const BATCH_DEADLINE_MS = 60_000;
/** Far above the 1 s close bound; far below the minutes amqplib waits for a silent broker. */
const SHUTDOWN_DEADLINE_MS = 15_000;

describe('RabbitMQ black-holed (connection kept open, nothing answered)', () => {
  let exchange: TestExchange;
  let proxy: TcpProxy;
  let broker: MessageBroker;

  const publish = () =>
    broker.publish(
      'orders.created',
      { n: 1 },
      { messageId: randomUUID(), type: 'orders.created', timestamp: new Date() },
    );

  beforeEach(async () => {
    exchange = await testExchange('orders.created');
    proxy = new TcpProxy(TEST_RABBITMQ_URL);
    await proxy.start();
    broker = new MessageBroker(
      brokerSettings({ RABBITMQ_URL: proxy.url, RABBITMQ_EXCHANGE: exchange.exchange }),
    );
    // Connected before the black hole: the connection then stays open but goes silent.
    await publish();
  });

  afterEach(async () => {
    await proxy?.stop();
    await settlesWithin(broker.onApplicationShutdown(), SHUTDOWN_DEADLINE_MS);
    await exchange?.close();
  });

  it('drops the connection after a missed confirm: the next publish dials again', async () => {
    proxy.blackhole();
    await expect(publish()).rejects.toThrow('no broker confirm in time');
    // Not another confirm wait on the silent connection: a new one, into the black hole.
    await expect(publish()).rejects.toThrow('connect ETIMEDOUT');
    await expect(publish()).rejects.toThrow('reconnect paused');
  });

  it('does not wait at shutdown for a close the broker never acknowledges', async () => {
    proxy.blackhole();
    expect(await settlesWithin(broker.onApplicationShutdown(), SHUTDOWN_DEADLINE_MS)).toBe(true);
  });
});

describe('outbox relay with RabbitMQ black-holed', () => {
  let db: TestDatabase;
  let exchange: TestExchange;
  let proxy: TcpProxy;
  let app: NestExpressApplication | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    exchange = await testExchange('orders.created');
    proxy = new TcpProxy(TEST_RABBITMQ_URL);
    await proxy.start();
    app = await startApp({
      DATABASE_URL: db.url,
      RABBITMQ_URL: proxy.url,
      ...exchange.appEnv,
    });
  });

  afterAll(async () => {
    await proxy?.stop();
    await exchange?.close();
    await app?.close();
    await db?.drop();
  });

  const insertEvents = (count: number) =>
    db.query(
      `INSERT INTO events.outbox (type, payload)
       SELECT 'orders.OrderCreated', $1 FROM generate_series(1, $2)`,
      [JSON.stringify(orderCreatedPayload(randomUUID())), count],
    );

  it('ends a batch (and its transaction) at the first missed confirm: the rest retry untried', async () => {
    await insertEvents(1);
    await waitFor('the first event on the queue', () =>
      Promise.resolve(exchange.messages.length === 1),
    );

    proxy.blackhole();
    await insertEvents(BATCH);
    // Attempts are committed with the batch: seen only once its transaction has ended.
    await waitFor(
      `all ${BATCH} events attempted`,
      async () => {
        const [{ n }] = await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM events.deliveries WHERE destination = 'broker' AND attempts > 0",
        );
        return n === BATCH;
      },
      BATCH_DEADLINE_MS,
    );
    // One publish was tried (and timed out); the other 19 share its error instead of dialling
    // the black hole one by one, each with a connect timeout of its own.
    const errors = await db.query<{ last_error: string; n: number }>(
      `SELECT last_error, count(*)::int AS n FROM events.deliveries
        WHERE destination = 'broker' AND attempts > 0 GROUP BY last_error`,
    );
    expect(errors).toEqual([
      { last_error: 'DestinationUnavailableError: no broker confirm in time', n: BATCH },
    ]);
  });
});
