import { as, order, useShoppingApp } from '../support/shopping';

/** Reading orders back: only one's own, newest first, in pages. */
describe('shopping: order history (Postgres + Redis)', () => {
  const shop = useShoppingApp();
  const http = () => shop.http();

  it('shows callers only their own orders', async () => {
    const mine = await shop.cartWith([['P109', 1]]);
    const { orderNumber } = (
      await http().post('/api/orders').set(as(mine)).send(order()).expect(201)
    ).body;
    const theirs = await shop.cartWith([['P110', 1]]);
    await http().get(`/api/orders/${orderNumber}`).set(as(theirs)).expect(404);
    await http().get(`/api/orders/${orderNumber}`).expect(404);
    await http().get('/api/orders/not-a-uuid').set(as(mine)).expect(404);
    const list = await http().get('/api/orders').set(as(theirs)).expect(200);
    expect(list.body).toMatchObject({ data: [], totalElements: 0 });
    const own = await http().get('/api/orders?page=1&pageSize=5').set(as(mine)).expect(200);
    expect(own.body).toMatchObject({
      totalElements: 1,
      // NEW until fulfilment picks it up (in-process here, right after the commit).
      data: [
        { orderNumber, status: expect.stringMatching(/^(NEW|IN_PROCESS)$/), totalAmount: 16.5 },
      ],
    });
    await http().get('/api/orders?pageSize=101').set(as(mine)).expect(400);
    await http().get('/api/orders?pageSize=0').set(as(mine)).expect(400);
  });

  it('lists orders newest first', async () => {
    const id = await shop.cartWith([['P111', 1]]);
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
});
