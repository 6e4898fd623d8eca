import { as, order, useShoppingApp } from '../support/shopping';

/** A retried order (same Idempotency-Key) gets the first one's result and is placed once. */
describe('shopping: idempotent orders (Postgres + Redis)', () => {
  const shop = useShoppingApp();
  const http = () => shop.http();

  it('returns the first result for a retried Idempotency-Key, also concurrently', async () => {
    const id = await shop.cartWith([['P108', 1]]);
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
    expect(await shop.count("orders.orders WHERE idempotency_key = 'retry-1'")).toBe(1);
    await http()
      .post('/api/orders')
      .set('Idempotency-Key', 'bad key with spaces')
      .send(order())
      .expect(400);
  });

  it('answers a retry of a cart order with its first result, finishing the cart clearing', async () => {
    const id = await shop.cartWith([
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
    expect(await shop.count("orders.orders WHERE idempotency_key = 'cart-retry'")).toBe(1);
  });
});
