import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { OutboxRelay } from '../../src/platform/events';
import { OUTBOX_SETTINGS, OutboxSettings } from '../../src/platform/events/outbox.relay';
import { startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { orderCreatedPayload } from '../support/events';
import { waitFor } from '../support/http';
import { TEST_RABBITMQ_URL, testExchange, TestExchange } from '../support/rabbitmq';
import { TcpProxy } from '../support/tcp-proxy';

const CUSTOMER = { name: 'Ada', email: 'ada@example.com', phone: '123' };

/** OrderCreatedEvent on the machine's RabbitMQ, reached through a relay the tests cut. */
describe('order events on RabbitMQ', () => {
  let db: TestDatabase;
  let broker: TestExchange;
  let proxy: TcpProxy;
  const apps: NestExpressApplication[] = [];

  beforeAll(async () => {
    broker = await testExchange('orders.created');
    proxy = new TcpProxy(TEST_RABBITMQ_URL);
    await proxy.start();
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      RABBITMQ_URL: proxy.url,
      ...broker.appEnv,
    };
    for (let i = 0; i < 2; i++) apps.push(await startApp(env));
    // Shared by both apps: retry every 100 ms to 1 s instead of 1 s to 60 s.
    const settings: OutboxSettings = apps[0].get(OUTBOX_SETTINGS);
    Object.assign(settings, { pollIntervalMs: 100, retryBaseDelayMs: 100, retryMaxDelayMs: 1_000 });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await proxy?.stop();
    await broker?.close();
    await db?.drop();
  });

  const http = () => request(apps[0].getHttpServer());
  const placeOrder = async (quantity = 1) => {
    const res = await http()
      .post('/api/orders')
      .send({ customer: CUSTOMER, deliveryAddress: '1 Main St', item: { code: 'P100', quantity } })
      .expect(201);
    return res.body.orderNumber as string;
  };
  const backlog = async () => {
    const metrics = (await http().get('/metrics').expect(200)).text;
    return Number(/^outbox_backlog\{destination="broker"\} (\d+)$/m.exec(metrics)![1]);
  };
  const copies = (orderNumber: string) =>
    broker.bodies().filter((b) => b.order?.orderNumber === orderNumber).length;
  const arrived = (orderNumber: string) => () => Promise.resolve(copies(orderNumber) > 0);

  /** Publishes one more event and waits for it: anything published before it has arrived. */
  async function flush(): Promise<void> {
    const marker = await placeOrder();
    await waitFor('the marker order on the queue', arrived(marker));
    await waitFor('an empty outbox', async () => (await backlog()) === 0);
  }

  it('publishes one versioned message per order, after commit', async () => {
    const orderNumber = await placeOrder(2);
    await waitFor('the order on the queue', arrived(orderNumber));
    await flush();
    expect(copies(orderNumber)).toBe(1);

    const [{ id, created_at }] = await db.query<{ id: string; created_at: Date }>(
      `SELECT id, created_at FROM events.outbox WHERE payload->>'orderNumber' = $1`,
      [orderNumber],
    );
    const message = broker.messages.find((m) => m.properties.messageId === id)!;
    expect(JSON.parse(message.content.toString())).toEqual({
      version: 1,
      eventId: id,
      eventType: 'orders.created',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      order: {
        orderNumber,
        customer: { name: 'Ada', email: 'ada@example.com' },
        totalAmount: 68,
        lines: [{ code: 'P100', quantity: 2 }],
      },
    });
    expect(message.fields.routingKey).toBe('orders.created');
    expect(message.properties).toMatchObject({
      deliveryMode: 2,
      contentType: 'application/json',
      type: 'orders.created',
      timestamp: Math.floor(created_at.getTime() / 1_000),
    });
  });

  it('takes orders while the broker is down and delivers them once it is back', async () => {
    await flush();
    await proxy.stop();
    const during = [await placeOrder(), await placeOrder(), await placeOrder()];
    await waitFor('retries of the waiting events', async () => {
      const rows = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM events.deliveries
          WHERE destination = 'broker' AND delivered_at IS NULL AND attempts > 0`,
      );
      return rows[0].n === 3;
    });
    expect(await backlog()).toBe(3);
    const ready = await http().get('/health/ready').expect(200);
    expect(ready.body.broker).toEqual({ status: 'down' });
    expect(during.map(copies)).toEqual([0, 0, 0]);

    await proxy.start();
    for (const orderNumber of during) {
      await waitFor(`order ${orderNumber} on the queue`, arrived(orderNumber), 30_000);
    }
    await flush();
    expect(during.map(copies)).toEqual([1, 1, 1]);
    // Readiness pings the broker with a 1.5 s bound, which a loaded machine can overrun once.
    await waitFor('readiness to report the broker up', async () => {
      const ready = await http().get('/health/ready').expect(200);
      return (ready.body as { broker?: { status: string } }).broker?.status === 'up';
    });
  });

  it('never lets two instances publish one event twice', async () => {
    const orderNumbers = Array.from({ length: 40 }, () => randomUUID());
    for (const orderNumber of orderNumbers) {
      await db.query('INSERT INTO events.outbox (type, payload) VALUES ($1, $2)', [
        'orders.OrderCreated',
        JSON.stringify(orderCreatedPayload(orderNumber)),
      ]);
    }
    const [a, b] = apps.map((app) => app.get(OutboxRelay));
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    await waitFor('all 40 on the queue', () =>
      Promise.resolve(orderNumbers.every((n) => copies(n) > 0)),
    );
    await flush();
    expect(orderNumbers.map(copies)).toEqual(orderNumbers.map(() => 1));
  });
});
