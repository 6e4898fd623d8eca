import { useAppOnFreshDatabase } from '../support/app';
import { testNamespace, TEST_REDIS_URL } from '../support/redis';
import { sessionCookie } from '../support/session-app';

const customer = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' };
const order = (deliveryAddress: string, quantity = 1) => ({
  customer,
  deliveryAddress,
  item: { code: 'P103', quantity },
});

describe('Idempotency-Key reused with a different request', () => {
  const ctx = useAppOnFreshDatabase({
    REDIS_URL: TEST_REDIS_URL,
    SESSION_NAMESPACE: testNamespace(),
    SESSION_NEW_PER_MINUTE: '0',
  });
  const as = (id: string) => ({ Cookie: `BOOKSTORE_SESSION=${id}` });
  const ordersWithKey = async (key: string) =>
    ctx.db.query<{ order_number: string; delivery_address: string }>(
      'SELECT order_number, delivery_address FROM orders.orders WHERE idempotency_key = $1',
      [key],
    );

  /** A session that has placed an order already, so it has its visitor key. */
  async function visitor(): Promise<string> {
    const res = await ctx.http().post('/api/orders').send(order('0 Start St')).expect(201);
    return sessionCookie(res)!;
  }

  const place = (id: string, key: string, body: object) =>
    ctx.http().post('/api/orders').set(as(id)).set('Idempotency-Key', key).send(body);

  it('answers 422 with the error body, and places nothing', async () => {
    const id = await visitor();
    const first = await place(id, 'k-1', order('1 Main St')).expect(201);
    expect((await place(id, 'k-1', order('1 Main St')).expect(201)).body).toEqual(first.body);

    for (const other of [order('2 Other St'), order('1 Main St', 2)]) {
      const res = await place(id, 'k-1', other).expect(422);
      expect(res.body).toEqual({
        status: 422,
        error: 'Unprocessable Entity',
        message: 'Idempotency-Key was already used with a different request body',
        timestamp: expect.any(String),
        path: '/api/orders',
      });
    }
    expect(await ordersWithKey('k-1')).toEqual([
      { order_number: first.body.orderNumber, delivery_address: '1 Main St' },
    ]);
  });

  it('ignores the item name and price the server ignores anyway', async () => {
    const id = await visitor();
    const first = await place(id, 'k-2', order('1 Main St')).expect(201);
    const withExtras = order('1 Main St');
    Object.assign(withExtras.item, { name: 'Anything', price: 1 });
    const again = await place(id, 'k-2', withExtras).expect(201);
    expect(again.body).toEqual(first.body);
  });

  it('concurrent uses of one key still place one order; other bodies get 422', async () => {
    const id = await visitor();
    const bodies = [1, 2, 3, 1, 2, 3].map((n) => order(`${n} Race St`));
    const results = await Promise.all(bodies.map((b) => place(id, 'k-race', b)));
    const rows = await ordersWithKey('k-race');
    expect(rows).toHaveLength(1);
    results.forEach((res, i) => {
      if (bodies[i].deliveryAddress === rows[0].delivery_address) {
        expect([res.status, res.body.orderNumber]).toEqual([201, rows[0].order_number]);
      } else {
        expect(res.status).toBe(422);
      }
    });
  });
});
