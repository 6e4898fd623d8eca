import { AppProcess, appEnvOn, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { getJson, waitFor } from '../support/http';
import { TEST_RABBITMQ_URL, testExchange, TestExchange } from '../support/rabbitmq';
import { order } from '../support/shopping';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * A fleet where only some instances have RABBITMQ_URL (a rolling deploy turning the broker on):
 * the broker-less one delivers to its in-process listeners but never marks an event published;
 * the one with the broker publishes every event written after it registered, each id once.
 */
describe('outbox delivery per destination, one instance without the broker', () => {
  let db: TestDatabase;
  let exchange: TestExchange;
  let proxy: TcpProxy;
  let withBroker: AppProcess;
  let without: AppProcess;
  /** Written before any instance with the broker started: not for the broker. */
  let beforeBroker: string;

  beforeAll(async () => {
    exchange = await testExchange('orders.created');
    proxy = new TcpProxy(TEST_RABBITMQ_URL);
    await proxy.start();
    db = await createTestDatabase();
    without = await startAppProcess(base());
  });

  afterAll(async () => {
    await withBroker?.stop();
    await without?.stop();
    await proxy?.stop();
    await exchange?.close();
    await db?.drop();
  });

  const base = () => ({
    ...appEnvOn(db),
    SESSION_NEW_PER_MINUTE: '0',
  });
  const placeOrder = async (app: AppProcess) => {
    const res = await fetch(`${app.url}/api/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(order({ item: { code: 'P100', quantity: 1 } })),
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { orderNumber: string }).orderNumber;
  };
  const backlog = async (app: AppProcess) => {
    const res = await fetch(`${app.url}/metrics`, { signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    const lines = [...text.matchAll(/^outbox_backlog\{destination="([\w-]+)"\} (\d+)$/gm)];
    return Object.fromEntries(lines.map(([, name, n]) => [name, Number(n)]));
  };
  const copies = (orderNumber: string) =>
    exchange.messages.filter(
      (m) => JSON.parse(m.content.toString()).order?.orderNumber === orderNumber,
    );
  const eventId = async (orderNumber: string) =>
    (
      await db.query<{ id: string }>(
        `SELECT id FROM events.outbox WHERE payload->>'orderNumber' = $1`,
        [orderNumber],
      )
    )[0].id;
  const confirmed = async (orderNumber: string) =>
    (
      await db.query(`SELECT 1 FROM notifications.order_confirmations WHERE order_number = $1`, [
        orderNumber,
      ])
    ).length === 1;

  it('a fleet without a broker carries no broker backlog', async () => {
    beforeBroker = await placeOrder(without);
    await waitFor('the confirmation listener', () => confirmed(beforeBroker));
    await waitFor('an empty in-process backlog', async () => {
      return JSON.stringify(await backlog(without)) === JSON.stringify({ 'in-process': 0 });
    });
    const ready = await getJson(`${without.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.outbox).toEqual({ waiting: { 'in-process': 0 } });
  });

  it('events written on both instances are published by the one with the broker, each once', async () => {
    withBroker = await startAppProcess({
      ...base(),
      RABBITMQ_URL: proxy.url,
      ...exchange.appEnv,
    });
    const placed = [
      await placeOrder(without),
      await placeOrder(withBroker),
      await placeOrder(without),
      await placeOrder(withBroker),
    ];
    for (const n of placed) {
      await waitFor(`order ${n} on the queue`, () => Promise.resolve(copies(n).length > 0), 30_000);
      await waitFor(`order ${n} confirmed`, () => confirmed(n));
    }
    await waitFor('empty backlogs', async () => {
      const counts = await backlog(without);
      return counts.broker === 0 && counts['in-process'] === 0;
    });
    for (const n of placed) {
      expect(copies(n).map((m) => m.properties.messageId as string)).toEqual([await eventId(n)]);
    }
    expect(copies(beforeBroker)).toEqual([]);
  });

  it('holds events for the broker while it is down, shows them waiting, publishes them after', async () => {
    await proxy.stop();
    const during = [await placeOrder(without), await placeOrder(without)];
    // Not waiting for the confirmations here: the instance with the broker may be the one that
    // takes an in-process delivery, and it handles order events from the broker's queue.
    await waitFor('the in-process backlog to empty', async () => {
      return (await backlog(without))['in-process'] === 0;
    });
    expect(await backlog(without)).toEqual({ 'in-process': 0, broker: 2 });
    expect(await backlog(withBroker)).toEqual({ 'in-process': 0, broker: 2 });
    const ready = await getJson(`${without.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.outbox).toEqual({ waiting: { 'in-process': 0, broker: 2 } });
    expect(during.map((n) => copies(n).length)).toEqual([0, 0]);

    await proxy.start();
    for (const n of during) {
      await waitFor(`order ${n} on the queue`, () => Promise.resolve(copies(n).length > 0), 60_000);
    }
    await waitFor('an empty broker backlog', async () => (await backlog(without)).broker === 0);
    for (const n of during) await waitFor(`order ${n} confirmed`, () => confirmed(n));
    for (const n of during) {
      expect(copies(n).map((m) => m.properties.messageId as string)).toEqual([await eventId(n)]);
    }
  });
});
