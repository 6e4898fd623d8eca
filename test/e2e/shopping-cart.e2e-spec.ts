import { as, useShoppingApp } from '../support/shopping';

/** The cart kept in the session: lines, money, concurrent writes and input validation. */
describe('shopping: the cart (Postgres + Redis)', () => {
  const shop = useShoppingApp();
  const http = () => shop.http();

  it('keeps many lines with exact money', async () => {
    const id = await shop.cartWith([
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
    const id = await shop.cartWith([['P100', 1]]);
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
});
