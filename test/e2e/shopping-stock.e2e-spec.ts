import { DataSource } from 'typeorm';
import { INVENTORY_API, InventoryApi } from '../../src/modules/inventory';
import { as, order, useShoppingApp } from '../support/shopping';

/** Orders take stock all or nothing and never more than there is; cancellations put it back. */
describe('shopping: stock (Postgres + Redis)', () => {
  const shop = useShoppingApp();
  const http = () => shop.http();

  it('never oversells: 50 concurrent orders for 10 in stock', async () => {
    await shop.db.query("UPDATE inventory.stock SET quantity = 10 WHERE product_code = 'P105'");
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
    expect(await shop.stock('P105')).toBe(0);
    expect(await shop.count("orders.order_lines WHERE code = 'P105'")).toBe(10);
  });

  it('keeps the cart and writes nothing when stock is short', async () => {
    await shop.db.query("UPDATE inventory.stock SET quantity = 1 WHERE product_code = 'P106'");
    const id = await shop.cartWith([
      ['P107', 1],
      ['P106', 2],
    ]);
    const p107 = await shop.stock('P107');
    const res = await http().post('/api/orders').set(as(id)).send(order()).expect(409);
    expect(res.body.message).toContain('P106');
    expect(await shop.stock('P107')).toBe(p107);
    expect((await http().get('/api/cart').set(as(id))).body.itemCount).toBe(3);
  });

  it('puts stock back through the inventory API (cancellation)', async () => {
    const inventory = shop.app.get<InventoryApi>(INVENTORY_API);
    const before = await shop.stock('P104');
    const lines = [{ code: 'P104', quantity: 3 }];
    await shop.app.get(DataSource).transaction((tx) => inventory.take(tx, lines));
    expect(await shop.stock('P104')).toBe(before - 3);
    await shop.app.get(DataSource).transaction((tx) => inventory.release(tx, lines));
    expect(await shop.stock('P104')).toBe(before);
  });
});
