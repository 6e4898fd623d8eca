import { AppContext, useAppOnFreshDatabase } from './app';
import { testNamespace, TEST_REDIS_URL } from './redis';
import { sessionCookie } from './session-app';

export const customer = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  phone: '+44 20 7946 0000',
};

/** A valid order body (customer and address), with `extra` fields added or overridden. */
export const order = (extra: Record<string, unknown> = {}) => ({
  customer,
  deliveryAddress: '221B Baker Street, London',
  ...extra,
});

/** The header that makes a request part of session `id`. */
export const as = (id: string) => ({ Cookie: `BOOKSTORE_SESSION=${id}` });

export interface ShoppingApp extends AppContext {
  /** A new session whose cart holds these lines, added one request at a time; its id. */
  cartWith(lines: Array<[string, number]>): Promise<string>;
  /** A product's stock, read from the database. */
  stock(code: string): Promise<number>;
  /** `SELECT count(*) FROM <fromWhere>`, e.g. `orders.orders WHERE idempotency_key = 'k'`. */
  count(fromWhere: string): Promise<number>;
}

/** The app on a fresh database with sessions in its own Redis namespace, for one spec file. */
export function useShoppingApp(): ShoppingApp {
  const ctx = useAppOnFreshDatabase({
    REDIS_URL: TEST_REDIS_URL,
    SESSION_NAMESPACE: testNamespace(),
    SESSION_NEW_PER_MINUTE: '0',
  });
  const shop = ctx as ShoppingApp;
  shop.cartWith = async (lines) => {
    let id: string | undefined;
    for (const [code, quantity] of lines) {
      const res = await ctx
        .http()
        .post('/api/cart/items')
        .set(id ? as(id) : {})
        .send({ code, quantity })
        .expect(201);
      id ??= sessionCookie(res);
    }
    return id!;
  };
  shop.stock = async (code) =>
    (
      await ctx.db.query<{ quantity: number }>(
        'SELECT quantity FROM inventory.stock WHERE product_code = $1',
        [code],
      )
    )[0].quantity;
  shop.count = async (fromWhere) =>
    (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${fromWhere}`))[0].n;
  return shop;
}
