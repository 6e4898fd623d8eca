import { waitFor } from '../support/http';
import { sessionCookie } from '../support/session-app';
import { as, order, useShoppingApp } from '../support/shopping';

/** Cancelling an order: by its owner, while nothing has shipped, its stock back at once. */
describe('shopping: cancelling orders (Postgres + Redis)', () => {
  const shop = useShoppingApp();
  const http = () => shop.http();

  /** A new visitor's order of `quantity` × `code`; the visitor's session id and the order. */
  async function placed(code: string, quantity: number) {
    const res = await http()
      .post('/api/orders')
      .send(order({ item: { code, quantity } }))
      .expect(201);
    return { id: sessionCookie(res)!, orderNumber: res.body.orderNumber as string };
  }
  const cancel = (orderNumber: string, id?: string) =>
    http()
      .post(`/api/orders/${orderNumber}/cancel`)
      .set(id ? as(id) : {});

  it("cancels the owner's order, returns its stock and tells the customer", async () => {
    const before = await shop.stock('P102');
    const { id, orderNumber } = await placed('P102', 3);
    expect(await shop.stock('P102')).toBe(before - 3);

    const res = await cancel(orderNumber, id).expect(200);
    expect(res.body).toMatchObject({
      orderNumber,
      status: 'CANCELLED',
      items: [{ code: 'P102', quantity: 3 }],
      totalAmount: expect.any(Number),
    });
    expect(await shop.stock('P102')).toBe(before);
    const read = await http().get(`/api/orders/${orderNumber}`).set(as(id)).expect(200);
    expect(read.body.status).toBe('CANCELLED');
    await waitFor('the cancellation notice', async () => {
      const n = await shop.count(
        `notifications.order_cancellations WHERE order_number = '${orderNumber}'`,
      );
      return n === 1;
    });
  });

  it('cancels an order whose fulfilment has started (IN_PROCESS)', async () => {
    const { id, orderNumber } = await placed('P103', 1);
    await waitFor('fulfilment to start', async () => {
      const { body } = await http().get(`/api/orders/${orderNumber}`).set(as(id)).expect(200);
      return body.status === 'IN_PROCESS';
    });
    await cancel(orderNumber, id).expect(200);
    // Fulfilment had moved it on; the cancellation still stands, and nothing moves it back.
    const read = await http().get(`/api/orders/${orderNumber}`).set(as(id)).expect(200);
    expect(read.body.status).toBe('CANCELLED');
  });

  it('refuses an order already cancelled or delivered (409), changing nothing', async () => {
    const { id, orderNumber } = await placed('P104', 2);
    await cancel(orderNumber, id).expect(200);
    const stock = await shop.stock('P104');
    const again = await cancel(orderNumber, id).expect(409);
    expect(again.body).toMatchObject({
      status: 409,
      message: expect.stringContaining('CANCELLED'),
    });
    expect(await shop.stock('P104')).toBe(stock);

    const delivered = await placed('P104', 1);
    await shop.db.query("UPDATE orders.orders SET status = 'DELIVERED' WHERE order_number = $1", [
      delivered.orderNumber,
    ]);
    const res = await cancel(delivered.orderNumber, delivered.id).expect(409);
    expect(res.body.message).toContain('DELIVERED');
    expect(await shop.stock('P104')).toBe(stock - 1);
  });

  it("answers 404 for another visitor's order, an unknown one and a malformed number", async () => {
    const { orderNumber } = await placed('P105', 1);
    const other = (await placed('P105', 1)).id;
    const stock = await shop.stock('P105');
    for (const [number, id] of [
      [orderNumber, other],
      [orderNumber, undefined],
      ['00000000-0000-4000-8000-000000000000', other],
      ['not-a-uuid', other],
    ] as const) {
      const res = await cancel(number, id).expect(404);
      expect(res.body).toMatchObject({ status: 404, error: 'Not Found' });
    }
    expect(await shop.stock('P105')).toBe(stock);
  });

  it('keeps stock exact when cancellations race new orders for the same book', async () => {
    await shop.db.query("UPDATE inventory.stock SET quantity = 40 WHERE product_code = 'P110'");
    const first = await Promise.all(Array.from({ length: 20 }, () => placed('P110', 2)));
    expect(await shop.stock('P110')).toBe(0);
    // Half of them cancelled twice at once, while 30 new orders of one compete for the stock.
    const toCancel = first.slice(0, 10);
    const [cancels, orders] = await Promise.all([
      Promise.all(
        toCancel.flatMap((o) => [cancel(o.orderNumber, o.id), cancel(o.orderNumber, o.id)]),
      ),
      Promise.all(
        Array.from({ length: 30 }, () =>
          http()
            .post('/api/orders')
            .send(order({ item: { code: 'P110', quantity: 1 } })),
        ),
      ),
    ]);
    const statuses = (rs: Array<{ status: number }>) => rs.map((r) => r.status).sort();
    expect(statuses(cancels)).toEqual([...Array(10).fill(200), ...Array(10).fill(409)]);
    const placedNow = orders.filter((r) => r.status === 201).length;
    expect(orders.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    // Stock = what cancellations put back (20) minus what the new orders took.
    expect(await shop.stock('P110')).toBe(20 - placedNow);
    const [{ open }] = await shop.db.query<{ open: number }>(
      `SELECT coalesce(sum(l.quantity), 0)::int AS open FROM orders.order_lines l
         JOIN orders.orders o ON o.id = l.order_id
        WHERE l.code = 'P110' AND o.status <> 'CANCELLED'`,
    );
    expect(open + (await shop.stock('P110'))).toBe(40);
  });
});
