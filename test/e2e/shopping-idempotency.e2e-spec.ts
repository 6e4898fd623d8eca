import { redisClient } from '../support/redis';
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

  const lines = async (id: string) =>
    (
      (await http().get('/api/cart').set(as(id)).expect(200)).body.items as Array<{
        code: string;
        quantity: number;
      }>
    )
      .map((i) => [i.code, i.quantity])
      .sort();
  const add = (id: string, code: string, quantity: number) =>
    http().post('/api/cart/items').set(as(id)).send({ code, quantity }).expect(201);
  const placeWith = (id: string, key: string) => () =>
    http().post('/api/orders').set(as(id)).set('Idempotency-Key', key).send(order());

  it('a late retry of a cart order returns the first order and leaves lines added since', async () => {
    const id = await shop.cartWith([
      ['P108', 1],
      ['P109', 2],
    ]);
    const post = placeWith(id, 'late-retry');
    const first = (await post().expect(201)).body.orderNumber as string;
    expect(await lines(id)).toEqual([]);
    await add(id, 'P108', 1);
    await add(id, 'P109', 1);
    for (let i = 0; i < 3; i++) expect((await post().expect(201)).body.orderNumber).toBe(first);
    expect(await lines(id)).toEqual([
      ['P108', 1],
      ['P109', 1],
    ]);
    expect(await shop.count("orders.orders WHERE idempotency_key = 'late-retry'")).toBe(1);
  });

  it('replays racing new adds never take the new lines', async () => {
    const id = await shop.cartWith([
      ['P108', 2],
      ['P109', 1],
    ]);
    const post = placeWith(id, 'racing-retry');
    const first = (await post().expect(201)).body.orderNumber as string;
    for (let round = 0; round < 5; round++) {
      const [, replay] = await Promise.all([add(id, 'P108', 1), post(), add(id, 'P109', 1)]);
      expect([replay.status, replay.body.orderNumber]).toEqual([201, first]);
    }
    expect(await lines(id)).toEqual([
      ['P108', 5],
      ['P109', 5],
    ]);
  });

  it('a retry finishes a clean-up the first attempt never did, exactly once', async () => {
    const id = await shop.cartWith([
      ['P112', 2],
      ['P113', 1],
    ]);
    const redis = redisClient();
    const key = `${process.env.SESSION_NAMESPACE}:sessions:${id}`;
    try {
      const before = (await redis.hget(key, 'sessionAttr:cart'))!;
      const post = placeWith(id, 'cart-retry');
      const first = (await post().expect(201)).body.orderNumber as string;
      // As if the first attempt committed but died before it emptied the cart.
      await redis.hset(key, 'sessionAttr:cart', before);
      await add(id, 'P114', 1);
      expect((await post().expect(201)).body.orderNumber).toBe(first);
      expect(await lines(id)).toEqual([['P114', 1]]);
      await add(id, 'P112', 2);
      expect((await post().expect(201)).body.orderNumber).toBe(first);
      expect(await lines(id)).toEqual([
        ['P112', 2],
        ['P114', 1],
      ]);
      expect(await shop.count("orders.orders WHERE idempotency_key = 'cart-retry'")).toBe(1);
    } finally {
      redis.disconnect();
    }
  });
});
