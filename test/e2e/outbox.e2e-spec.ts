import type { NestExpressApplication } from '@nestjs/platform-express';
import { OutboxRelay } from '../../src/platform/events';
import { startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { orderCreatedPayload } from '../support/events';
import { waitFor } from '../support/http';

/** The transactional outbox with real Postgres: retries, restart delivery, several relays. */
describe('outbox relay', () => {
  let db: TestDatabase;
  const apps: NestExpressApplication[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await db?.drop();
  });

  async function app(): Promise<NestExpressApplication> {
    const started = await startApp({ DATABASE_URL: db.url });
    apps.push(started);
    return started;
  }

  const insertEvent = (type: string, payload: object) =>
    db.query<{ id: string }>(
      'INSERT INTO events.outbox (type, payload) VALUES ($1, $2) RETURNING id',
      [type, JSON.stringify(payload)],
    );
  const row = async (id: string) =>
    (
      await db.query<{ attempts: number; delivered_at: Date | null; last_error: string | null }>(
        `SELECT attempts, delivered_at, last_error FROM events.deliveries
          WHERE event_id = $1 AND destination = 'in-process'`,
        [id],
      )
    )[0];

  it('retries an event whose listener fails, then completes it', async () => {
    const relay = (await app()).get(OutboxRelay);
    let calls = 0;
    relay.on('test.Flaky', 'flaky', () => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('listener down')) : Promise.resolve();
    });
    const [{ id }] = await insertEvent('test.Flaky', { n: 1 });
    await relay.drain();
    expect(await row(id)).toMatchObject({
      attempts: 1,
      delivered_at: null,
      last_error: expect.stringContaining('listener down'),
    });
    await db.query('UPDATE events.deliveries SET available_at = now() WHERE event_id = $1', [id]);
    await relay.drain();
    expect((await row(id)).delivered_at).not.toBeNull();
    expect(calls).toBe(2);
  });

  it('undoes the writes of a failed listener', async () => {
    const relay = apps[0].get(OutboxRelay);
    const orderNumber = '00000000-0000-4000-8000-000000000001';
    let written = 0;
    relay.on('test.HalfDone', 'half-done', async (payload, tx) => {
      const rows: unknown[] = await tx.query(
        `INSERT INTO notifications.order_confirmations (order_number, email, customer_name, total)
         VALUES ($1, 'x@example.com', 'x', 1) RETURNING order_number`,
        [payload.orderNumber],
      );
      written += rows.length;
      throw new Error('failed after writing');
    });
    const [{ id }] = await insertEvent('test.HalfDone', { orderNumber });
    await relay.drain();
    // The background poll may have held the row during drain(): wait for the attempt itself.
    await waitFor('the failed attempt recorded', async () => (await row(id)).attempts > 0);
    // A retry may follow (1 s later): every attempt ran the listener, and none completed.
    const attempted = await row(id);
    expect(attempted).toMatchObject({
      delivered_at: null,
      last_error: expect.stringContaining('failed after writing'),
    });
    expect(written).toBeGreaterThanOrEqual(attempted.attempts);
    const rows = await db.query(
      'SELECT 1 FROM notifications.order_confirmations WHERE order_number = $1',
      [orderNumber],
    );
    expect(rows).toHaveLength(0);
  });

  it('delivers at start-up an event committed before the process stopped', async () => {
    const orderNumber = '00000000-0000-4000-8000-000000000002';
    await insertEvent('orders.OrderCreated', orderCreatedPayload(orderNumber));
    await app();
    await waitFor('the confirmation from the restarted relay', async () => {
      const rows = await db.query(
        'SELECT 1 FROM notifications.order_confirmations WHERE order_number = $1',
        [orderNumber],
      );
      return rows.length === 1;
    });
  });

  it('never lets two relays deliver one event at the same time', async () => {
    const [a, b] = [apps[0].get(OutboxRelay), (await app()).get(OutboxRelay)];
    const deliveries = new Map<string, number>();
    let inFlight = 0;
    let maxInFlightPerEvent = 0;
    const active = new Set<string>();
    const listener = async (payload: Record<string, unknown>) => {
      const key = String(payload.k);
      if (active.has(key)) maxInFlightPerEvent = 2;
      active.add(key);
      inFlight += 1;
      await new Promise((r) => setTimeout(r, 5));
      deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
      active.delete(key);
      inFlight -= 1;
    };
    // Every running relay polls; one without the listener would complete events undelivered.
    for (const app of apps) app.get(OutboxRelay).on('test.Parallel', 'parallel', listener);
    for (let k = 0; k < 40; k++) await insertEvent('test.Parallel', { k });
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    await waitFor('every event delivered', () => Promise.resolve(deliveries.size === 40), 60_000);
    expect(maxInFlightPerEvent).toBe(0);
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    expect(inFlight).toBe(0);
  });
});
