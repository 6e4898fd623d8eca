import { DataSource } from 'typeorm';
import { INVENTORY_API, InventoryApi } from '../../src/modules/inventory';
import { useAppOnFreshDatabase } from '../support/app';
import { sessionCookie } from '../support/session-app';
import { testNamespace, TEST_REDIS_URL } from '../support/redis';
import { waitFor } from '../support/http';

const customer = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' };
const order = (extra: Record<string, unknown> = {}) => ({
  customer,
  deliveryAddress: '221B Baker Street, London',
  ...extra,
});

describe('shopping flow over HTTP (Postgres + Redis)', () => {
  const ctx = useAppOnFreshDatabase({
    REDIS_URL: TEST_REDIS_URL,
    SESSION_NAMESPACE: testNamespace(),
    SESSION_NEW_PER_MINUTE: '0',
  });
  const http = () => ctx.http();
  const as = (id: string) => ({ Cookie: `BOOKSTORE_SESSION=${id}` });

  async function cartWith(lines: Array<[string, number]>): Promise<string> {
    let id: string | undefined;
    for (const [code, quantity] of lines) {
      const res = await http()
        .post('/api/cart/items')
        .set(id ? as(id) : {})
        .send({ code, quantity })
        .expect(201);
      id ??= sessionCookie(res);
    }
    return id!;
  }

  const stock = async (code: string) =>
    (
      await ctx.db.query<{ quantity: number }>(
        'SELECT quantity FROM inventory.stock WHERE product_code = $1',
        [code],
      )
    )[0].quantity;

  it('reads an empty cart without creating a session', async () => {
    const res = await http()
      .get('/api/cart')
      .expect(200, { items: [], totalAmount: 0, itemCount: 0 });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('runs the reference k6 flow: add to cart, order with the cookie, cart empty after', async () => {
    const id = await cartWith([['P100', 2]]);
    const before = await stock('P100');
    const res = await http()
      .post('/api/orders')
      .set(as(id))
      .send(order({ item: { code: 'P100', name: 'The Hunger Games', price: 34, quantity: 1 } }))
      .expect(201);
    const { orderNumber } = res.body as { orderNumber: string };
    expect(res.headers.location).toBe(`/api/orders/${orderNumber}`);
    const placed = await http().get(`/api/orders/${orderNumber}`).set(as(id)).expect(200);
    expect(placed.body).toMatchObject({
      orderNumber,
      status: 'NEW',
      customer,
      items: [{ code: 'P100', name: 'The Hunger Games', price: 34, quantity: 2, subtotal: 68 }],
      item: { code: 'P100', quantity: 2 },
      totalAmount: 68,
    });
    await http()
      .get('/api/cart')
      .set(as(id))
      .expect(200, { items: [], totalAmount: 0, itemCount: 0 });
    expect(await stock('P100')).toBe(before - 2);
    await waitFor('the order confirmation', async () => {
      const rows = await ctx.db.query(
        'SELECT * FROM notifications.order_confirmations WHERE order_number = $1',
        [orderNumber],
      );
      return rows.length === 1;
    });
  });

  it('keeps many lines with exact money', async () => {
    const id = await cartWith([
      ['P101', 2],
      ['P100', 1],
      ['P101', 1],
    ]);
    const cart = await http().get('/api/cart').set(as(id)).expect(200);
    expect(cart.body).toEqual({
      items: [
        { code: 'P101', name: 'To Kill a Mockingbird', price: 45.4, quantity: 3, subtotal: 136.2 },
        { code: 'P100', name: 'The Hunger Games', price: 34, quantity: 1, subtotal: 34 },
      ],
      totalAmount: 170.2,
      itemCount: 4,
    });
    const updated = await http()
      .put('/api/cart/items/P100')
      .set(as(id))
      .send({ quantity: 5 })
      .expect(200);
    expect(updated.body).toMatchObject({ totalAmount: 306.2, itemCount: 8 });
    const removed = await http().delete('/api/cart/items/P101').set(as(id)).expect(200);
    expect(removed.body).toMatchObject({ totalAmount: 170, itemCount: 5 });
    await http().put('/api/cart/items/P999').set(as(id)).send({ quantity: 1 }).expect(404);
    await http().delete('/api/cart/items/P999').set(as(id)).expect(404);
    await http().delete('/api/cart').set(as(id)).expect(204);
    await http()
      .get('/api/cart')
      .set(as(id))
      .expect(200, { items: [], totalAmount: 0, itemCount: 0 });
  });

  it('keeps all of 20 parallel add-to-cart calls', async () => {
    const id = await cartWith([['P100', 1]]);
    const codes = Array.from({ length: 14 }, (_, i) => `P${101 + i}`);
    await Promise.all(
      [...codes, 'P100', 'P100', 'P100', 'P100', 'P100', 'P100'].map((code) =>
        http().post('/api/cart/items').set(as(id)).send({ code, quantity: 1 }).expect(201),
      ),
    );
    const cart = (await http().get('/api/cart').set(as(id))).body;
    expect(cart.items).toHaveLength(15);
    expect(cart.itemCount).toBe(21);
  });

  it.each([
    [{ code: 'P100', quantity: 0 }],
    [{ code: 'P100', quantity: -1 }],
    [{ code: 'P100', quantity: 1.5 }],
    [{ code: 'P100', quantity: '2' }],
    [{ code: 'P100', quantity: 100 }],
    [{ code: 'P100' }],
    [{ quantity: 1 }],
    [{ code: 42, quantity: 1 }],
    [{ code: 'P100', quantity: 1, price: 0.01 }],
  ])('rejects cart body %j with 400, writing nothing', async (body) => {
    const res = await http().post('/api/cart/items').send(body).expect(400);
    expect(res.body).toMatchObject({ status: 400, path: '/api/cart/items' });
    expect(res.body.details.length).toBeGreaterThan(0);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('404s an unknown product in the cart without creating a session', async () => {
    const res = await http()
      .post('/api/cart/items')
      .send({ code: 'NOPE', quantity: 1 })
      .expect(404);
    expect(res.body.message).toContain('NOPE');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    [
      'bad email',
      order({
        customer: { ...customer, email: 'not-an-email' },
        item: { code: 'P100', quantity: 1 },
      }),
    ],
    ['blank address', order({ deliveryAddress: '   ', item: { code: 'P100', quantity: 1 } })],
    [
      'blank name',
      order({ customer: { ...customer, name: '' }, item: { code: 'P100', quantity: 1 } }),
    ],
    ['missing customer', { deliveryAddress: 'x', item: { code: 'P100', quantity: 1 } }],
    ['customer of wrong type', order({ customer: 'Ada', item: { code: 'P100', quantity: 1 } })],
    ['item quantity as text', order({ item: { code: 'P100', quantity: '1' } })],
    ['item quantity 0', order({ item: { code: 'P100', quantity: 0 } })],
    ['unknown field', order({ item: { code: 'P100', quantity: 1 }, discount: 50 })],
    ['empty cart and no item', order()],
  ])('rejects an order with %s (400), writing nothing', async (_, body) => {
    const [{ n: before }] = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM orders.orders',
    );
    const res = await http().post('/api/orders').send(body).expect(400);
    expect(res.body.status).toBe(400);
    const [{ n: after }] = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM orders.orders',
    );
    expect(after).toBe(before);
  });

  it('orders a body item at the catalog price, whatever price it claims', async () => {
    const res = await http()
      .post('/api/orders')
      .send(order({ item: { code: 'P101', name: 'Cheap', price: 0.01, quantity: 2 } }))
      .expect(201);
    const id = sessionCookie(res)!;
    const placed = await http().get(`/api/orders/${res.body.orderNumber}`).set(as(id)).expect(200);
    expect(placed.body.items).toEqual([
      { code: 'P101', name: 'To Kill a Mockingbird', price: 45.4, quantity: 2, subtotal: 90.8 },
    ]);
  });

  it('404s an order of an unknown product', async () => {
    const res = await http()
      .post('/api/orders')
      .send(order({ item: { code: 'NOPE', quantity: 1 } }))
      .expect(404);
    expect(res.body.message).toContain('NOPE');
  });

  it('never oversells: 50 concurrent orders for 10 in stock', async () => {
    await ctx.db.query("UPDATE inventory.stock SET quantity = 10 WHERE product_code = 'P105'");
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        http()
          .post('/api/orders')
          .send(order({ item: { code: 'P105', quantity: 1 } })),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    expect(results.find((r) => r.status === 409)!.body.message).toContain('P105');
    expect(await stock('P105')).toBe(0);
    const [{ n }] = await ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM orders.order_lines WHERE code = 'P105'",
    );
    expect(n).toBe(10);
  });

  it('keeps the cart and writes nothing when stock is short', async () => {
    await ctx.db.query("UPDATE inventory.stock SET quantity = 1 WHERE product_code = 'P106'");
    const id = await cartWith([
      ['P107', 1],
      ['P106', 2],
    ]);
    const p107 = await stock('P107');
    const res = await http().post('/api/orders').set(as(id)).send(order()).expect(409);
    expect(res.body.message).toContain('P106');
    expect(await stock('P107')).toBe(p107);
    expect((await http().get('/api/cart').set(as(id))).body.itemCount).toBe(3);
  });

  it('returns the first result for a retried Idempotency-Key, also concurrently', async () => {
    const id = await cartWith([['P108', 1]]);
    const post = () =>
      http()
        .post('/api/orders')
        .set(as(id))
        .set('Idempotency-Key', 'retry-1')
        .send(order({ item: { code: 'P108', quantity: 1 } }));
    const results = await Promise.all([post(), post(), post(), post()]);
    const numbers = new Set(results.map((r) => r.body.orderNumber as string));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(numbers.size).toBe(1);
    expect((await post().expect(201)).body.orderNumber).toBe([...numbers][0]);
    const [{ n }] = await ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM orders.orders WHERE idempotency_key = 'retry-1'",
    );
    expect(n).toBe(1);
    await http()
      .post('/api/orders')
      .set('Idempotency-Key', 'bad key with spaces')
      .send(order())
      .expect(400);
  });

  it('answers a retry of a cart order with its first result, finishing the cart clearing', async () => {
    const id = await cartWith([
      ['P112', 2],
      ['P113', 1],
    ]);
    const post = () =>
      http().post('/api/orders').set(as(id)).set('Idempotency-Key', 'cart-retry').send(order());
    const first = (await post().expect(201)).body.orderNumber as string;
    // The cart is empty now: the retry must still get the order, not "cart is empty".
    expect((await post().expect(201)).body.orderNumber).toBe(first);
    // As if the first attempt committed but failed to empty the cart before answering.
    await http()
      .post('/api/cart/items')
      .set(as(id))
      .send({ code: 'P112', quantity: 2 })
      .expect(201);
    await http()
      .post('/api/cart/items')
      .set(as(id))
      .send({ code: 'P114', quantity: 1 })
      .expect(201);
    expect((await post().expect(201)).body.orderNumber).toBe(first);
    const cart = (await http().get('/api/cart').set(as(id))).body;
    expect(cart.items.map((i: { code: string; quantity: number }) => [i.code, i.quantity])).toEqual(
      [['P114', 1]],
    );
    const [{ n }] = await ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM orders.orders WHERE idempotency_key = 'cart-retry'",
    );
    expect(n).toBe(1);
  });

  it('shows callers only their own orders', async () => {
    const mine = await cartWith([['P109', 1]]);
    const { orderNumber } = (
      await http().post('/api/orders').set(as(mine)).send(order()).expect(201)
    ).body;
    const theirs = await cartWith([['P110', 1]]);
    await http().get(`/api/orders/${orderNumber}`).set(as(theirs)).expect(404);
    await http().get(`/api/orders/${orderNumber}`).expect(404);
    await http().get('/api/orders/not-a-uuid').set(as(mine)).expect(404);
    const list = await http().get('/api/orders').set(as(theirs)).expect(200);
    expect(list.body).toMatchObject({ data: [], totalElements: 0 });
    const own = await http().get('/api/orders?page=1&pageSize=5').set(as(mine)).expect(200);
    expect(own.body).toMatchObject({
      totalElements: 1,
      data: [{ orderNumber, status: 'NEW', totalAmount: 16.5 }],
    });
    await http().get('/api/orders?pageSize=101').set(as(mine)).expect(400);
    await http().get('/api/orders?pageSize=0').set(as(mine)).expect(400);
  });

  it('lists orders newest first', async () => {
    const id = await cartWith([['P111', 1]]);
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      await http().post('/api/cart/items').set(as(id)).send({ code: 'P111', quantity: 1 });
      numbers.push(
        (await http().post('/api/orders').set(as(id)).send(order()).expect(201)).body.orderNumber,
      );
    }
    const page = (await http().get('/api/orders?pageSize=2').set(as(id)).expect(200)).body;
    expect(page).toMatchObject({ totalElements: 3, totalPages: 2, hasNext: true });
    expect(page.data.map((o: { orderNumber: string }) => o.orderNumber)).toEqual([
      numbers[2],
      numbers[1],
    ]);
  });

  it('puts stock back through the inventory API (cancellation)', async () => {
    const inventory = ctx.app.get<InventoryApi>(INVENTORY_API);
    const before = await stock('P104');
    const lines = [{ code: 'P104', quantity: 3 }];
    await ctx.app.get(DataSource).transaction((tx) => inventory.take(tx, lines));
    expect(await stock('P104')).toBe(before - 3);
    await ctx.app.get(DataSource).transaction((tx) => inventory.release(tx, lines));
    expect(await stock('P104')).toBe(before);
  });

  it('exposes session, store and outbox metrics', async () => {
    await cartWith([['P100', 1]]);
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^sessions_total\{event="created"\} [1-9]/m);
    expect(metrics).toMatch(/^session_store_operation_seconds_count\{operation="load"\} [1-9]/m);
    expect(metrics).toMatch(/^session_store_operation_seconds_count\{operation="write"\} [1-9]/m);
    expect(metrics).toMatch(/^outbox_backlog \d+$/m);
  });

  it('records recently viewed products only for visitors with a session', async () => {
    const anonymous = await http().get('/api/products/P100').expect(200);
    expect(anonymous.headers['set-cookie']).toBeUndefined();
    await http().get('/api/products/recently-viewed').expect(200, []);
    const id = await cartWith([['P100', 1]]);
    for (const code of ['P101', 'P102', 'P101'])
      await http().get(`/api/products/${code}`).set(as(id)).expect(200);
    const recent = await http().get('/api/products/recently-viewed').set(as(id)).expect(200);
    expect(recent.body.map((p: { code: string }) => p.code)).toEqual(['P101', 'P102']);
  });

  it('records all of 14 parallel views in one session (atomic, like the cart)', async () => {
    const id = await cartWith([['P100', 1]]);
    const codes = Array.from({ length: 14 }, (_, i) => `P${101 + i}`);
    await Promise.all(codes.map((c) => http().get(`/api/products/${c}`).set(as(id)).expect(200)));
    const recent = await http().get('/api/products/recently-viewed').set(as(id)).expect(200);
    expect(recent.body.map((p: { code: string }) => p.code).sort()).toEqual(codes.sort());
  });

  it('marks every session-dependent response Cache-Control: no-store, errors too', async () => {
    const id = await cartWith([['P100', 1]]);
    const personal = [
      ['get', '/api/cart'],
      ['put', '/api/cart/items/P999'],
      ['get', '/api/orders'],
      ['get', '/api/orders/00000000-0000-0000-0000-000000000000'],
      ['get', '/api/auth/me'],
      ['get', '/api/products/recently-viewed'],
      ['post', '/api/auth/logout'],
    ] as const;
    for (const [method, path] of personal) {
      const res = await http()[method](path).set(as(id)).send({ quantity: 1 });
      expect([path, res.headers['cache-control']]).toEqual([path, 'no-store']);
    }
    const shared = await http().get('/api/products/P100').expect(200);
    expect(shared.headers['cache-control']).toBeUndefined();
  });
});
