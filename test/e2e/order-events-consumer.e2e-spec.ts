import type { NestExpressApplication } from '@nestjs/platform-express';
import { Channel, ChannelModel, connect, GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { OUTBOX_SETTINGS, OutboxSettings } from '../../src/platform/events/outbox.relay';
import { startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { waitFor } from '../support/http';
import { TEST_RABBITMQ_URL, testExchange, TestExchange } from '../support/rabbitmq';
import { TcpProxy } from '../support/tcp-proxy';

const CUSTOMER = { name: 'Ada', email: 'ada@example.com', phone: '123' };
const MAX_ATTEMPTS = 3;

/**
 * The app's own consumer on the machine's RabbitMQ (fulfilment: confirmation and
 * NEW → IN_PROCESS), on queues of this file's own, reached through a relay the tests cut.
 */
describe('order events consumed from RabbitMQ', () => {
  let db: TestDatabase;
  let broker: TestExchange;
  let proxy: TcpProxy;
  let app: NestExpressApplication;
  let amqp: ChannelModel;
  let channel: Channel;

  beforeAll(async () => {
    broker = await testExchange('orders.#');
    proxy = new TcpProxy(TEST_RABBITMQ_URL);
    await proxy.start();
    db = await createTestDatabase();
    app = await startApp({
      DATABASE_URL: db.url,
      RABBITMQ_URL: proxy.url,
      ...broker.appEnv,
      RABBITMQ_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      RABBITMQ_RETRY_DELAY: '300ms',
    });
    const settings: OutboxSettings = app.get(OUTBOX_SETTINGS);
    Object.assign(settings, { pollIntervalMs: 100, retryBaseDelayMs: 100, retryMaxDelayMs: 1_000 });
    amqp = await connect(TEST_RABBITMQ_URL);
    channel = await amqp.createChannel();
    await waitFor('the consumer', async () => (await consumerStatus()) === 'up');
  });

  afterAll(async () => {
    await app?.close();
    await proxy?.stop();
    await amqp?.close().catch(() => undefined);
    await broker?.close();
    await db?.drop();
  });

  const http = () => request(app.getHttpServer());
  const consumerStatus = async () =>
    ((await http().get('/health/ready').expect(200)).body as { consumer?: { status: string } })
      .consumer?.status;
  const placeOrder = async () => {
    const res = await http()
      .post('/api/orders')
      .send({
        customer: CUSTOMER,
        deliveryAddress: '1 Main St',
        item: { code: 'P100', quantity: 1 },
      })
      .expect(201);
    return { orderNumber: res.body.orderNumber as string, cookie: res.headers['set-cookie'] };
  };
  const status = async (orderNumber: string) =>
    (
      await db.query<{ status: string }>(
        'SELECT status FROM orders.orders WHERE order_number = $1',
        [orderNumber],
      )
    )[0].status;
  const count = async (fromWhere: string, params: unknown[] = []) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${fromWhere}`, params))[0].n;
  /** A counter's value on /metrics (0 before its first increment). */
  const metric = async (name: string, labels: string) => {
    const text = (await http().get('/metrics').expect(200)).text;
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const processed = () =>
    metric('events_consumed_total', 'type="orders.created",outcome="processed"');
  const inProcess = (orderNumber: string) => async () =>
    (await status(orderNumber)) === 'IN_PROCESS';

  it('fulfils an order: one confirmation, NEW → IN_PROCESS; readiness shows the consumer', async () => {
    const { orderNumber } = await placeOrder();
    await waitFor('the order in process', inProcess(orderNumber));
    expect(
      await count('notifications.order_confirmations WHERE order_number = $1', [orderNumber]),
    ).toBe(1);
    const ready = await http().get('/health/ready').expect(200);
    expect(ready.body.consumer).toEqual({ status: 'up', queue: broker.queue });
  });

  it('sends a poison message to the DLQ after N attempts while the next one is processed', async () => {
    const [retried, dead] = await Promise.all([
      metric('events_retried_total', 'type="orders.created"'),
      metric('events_dead_lettered_total', 'type="orders.created"'),
    ]);
    const poisonId = randomUUID();
    const poison = { version: 1, eventId: poisonId, eventType: 'orders.created', order: null };
    channel.publish(broker.exchange, 'orders.created', Buffer.from(JSON.stringify(poison)), {
      messageId: poisonId,
      type: 'orders.created',
      contentType: 'application/json',
      persistent: true,
    });
    const { orderNumber } = await placeOrder();
    await waitFor('the order behind the poison in process', inProcess(orderNumber));

    const dlq = `${broker.queue}.dlq`;
    let dropped: GetMessage | false = false;
    await waitFor('the poison message in the DLQ', async () => {
      dropped = await channel.get(dlq, { noAck: true });
      return dropped !== false;
    });
    const message = dropped as unknown as GetMessage;
    expect(message.properties.messageId).toBe(poisonId);
    const deaths = (message.properties.headers?.['x-death'] ?? []).map(
      (d) => `${d.queue}:${d.reason}`,
    );
    expect(deaths).toEqual(
      expect.arrayContaining([
        `${broker.queue}:rejected`,
        `${broker.queue}.retry.1:expired`,
        `${broker.queue}.retry.2:expired`,
      ]),
    );
    expect(await metric('events_retried_total', 'type="orders.created"')).toBe(
      retried + MAX_ATTEMPTS - 1,
    );
    expect(await metric('events_dead_lettered_total', 'type="orders.created"')).toBe(dead + 1);
    expect(await count('events.processed_events WHERE event_id = $1', [poisonId])).toBe(0);
  });

  it('processes a redelivered duplicate once', async () => {
    const { orderNumber } = await placeOrder();
    await waitFor('the order in process', inProcess(orderNumber));
    const before = await processed();
    const original = broker.messages.find(
      (m) => JSON.parse(m.content.toString()).order?.orderNumber === orderNumber,
    )!;
    // What the outbox sends again when a publish confirm was lost: the same eventId.
    channel.publish(broker.exchange, 'orders.created', original.content, original.properties);
    const duplicates = () =>
      metric('events_consumed_total', 'type="orders.created",outcome="duplicate"');
    const seen = await duplicates();
    await waitFor('the duplicate consumed', async () => (await duplicates()) === seen + 1);
    expect(await processed()).toBe(before);
    expect(
      await count('notifications.order_confirmations WHERE order_number = $1', [orderNumber]),
    ).toBe(1);
  });

  it('catches up after its connection is cut during 50 orders, each processed once', async () => {
    const before = await processed();
    const orders: string[] = [];
    for (let i = 0; i < 50; i++) {
      if (i === 20) await proxy.stop();
      if (i === 20)
        await waitFor(
          'readiness to see the consumer down',
          async () => (await consumerStatus()) === 'down',
        );
      if (i === 35) await proxy.start();
      orders.push((await placeOrder()).orderNumber);
    }
    for (const orderNumber of orders) {
      await waitFor(`order ${orderNumber} in process`, inProcess(orderNumber), 60_000);
    }
    await waitFor('all 50 counted', async () => (await processed()) === before + 50, 30_000);
    const confirmations = await count(
      'notifications.order_confirmations WHERE order_number = ANY($1::uuid[])',
      [orders],
    );
    expect(confirmations).toBe(50);
    await waitFor('the consumer back', async () => (await consumerStatus()) === 'up');
  });

  it('honours a cancellation: a cancelled order is never moved on', async () => {
    await proxy.stop();
    const { orderNumber, cookie } = await placeOrder();
    await http().post(`/api/orders/${orderNumber}/cancel`).set('Cookie', cookie).expect(200);
    await proxy.start();
    await waitFor('the cancellation notice', async () => {
      const n = await count('notifications.order_cancellations WHERE order_number = $1', [
        orderNumber,
      ]);
      return n === 1;
    });
    await waitFor('the created event handled too', async () => {
      const n = await count(
        "events.processed_events WHERE handler = 'orders.created' AND event_id = (SELECT id FROM events.outbox WHERE type = 'orders.OrderCreated' AND payload->>'orderNumber' = $1)",
        [orderNumber],
      );
      return n === 1;
    });
    expect(await status(orderNumber)).toBe('CANCELLED');
  });
});
