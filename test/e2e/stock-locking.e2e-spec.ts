import { as, customer, useShoppingApp } from '../support/shopping';

const CODES = ['P100', 'P101', 'P102', 'P103', 'P104'];
const ORDERS = 24;
const START = 1_000;

/** Stock for all lines of an order is taken by one statement that locks rows by code. */
describe('stock taken for many lines at once (Postgres)', () => {
  const ctx = useShoppingApp();
  const cartWith = (codes: string[], quantity: number) =>
    ctx.cartWith(codes.map((code) => [code, quantity]));

  const stock = async () =>
    Object.fromEntries(
      (
        await ctx.db.query<{ product_code: string; quantity: number }>(
          'SELECT product_code, quantity FROM inventory.stock WHERE product_code = ANY($1)',
          [CODES],
        )
      ).map((r) => [r.product_code, r.quantity]),
    );

  it('never deadlocks: concurrent orders whose lines come in opposite orders all succeed', async () => {
    await ctx.db.query('UPDATE inventory.stock SET quantity = $1 WHERE product_code = ANY($2)', [
      START,
      CODES,
    ]);
    const carts: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      carts.push(await cartWith(i % 2 ? [...CODES].reverse() : CODES, 1 + (i % 3)));
    }
    const results = await Promise.all(
      carts.map((id) =>
        ctx.http().post('/api/orders').set(as(id)).send({ customer, deliveryAddress: '1 Main St' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(carts.map(() => 201));
    const taken = carts.reduce((sum, _, i) => sum + 1 + (i % 3), 0);
    expect(await stock()).toEqual(Object.fromEntries(CODES.map((c) => [c, START - taken])));
  });

  it('names the first short line in code order and takes nothing', async () => {
    await ctx.db.query('UPDATE inventory.stock SET quantity = 1 WHERE product_code = ANY($1)', [
      ['P103', 'P101'],
    ]);
    const before = await stock();
    const id = await cartWith(['P104', 'P103', 'P101', 'P100'], 2);
    const res = await ctx
      .http()
      .post('/api/orders')
      .set(as(id))
      .send({ customer, deliveryAddress: '1 Main St' })
      .expect(409);
    expect((res.body as { message: string }).message).toContain("'P101'");
    expect(await stock()).toEqual(before);
  });

  it('pages orders with their total in one query, also past the last page', async () => {
    const id = await cartWith(['P100'], 1);
    await ctx.db.query('UPDATE inventory.stock SET quantity = 100 WHERE product_code = $1', [
      'P100',
    ]);
    await ctx
      .http()
      .post('/api/orders')
      .set(as(id))
      .send({ customer, deliveryAddress: '1 Main St', item: { code: 'P100', quantity: 1 } })
      .expect(201);
    const first = await ctx.http().get('/api/orders?page=1&pageSize=1').set(as(id)).expect(200);
    expect(first.body).toMatchObject({ totalElements: 1, totalPages: 1, pageNumber: 1 });
    expect((first.body as { data: unknown[] }).data).toHaveLength(1);
    const past = await ctx.http().get('/api/orders?page=3&pageSize=1').set(as(id)).expect(200);
    expect(past.body).toMatchObject({ data: [], totalElements: 1, pageNumber: 3 });
  });
});
