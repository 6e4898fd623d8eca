import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { sleep } from '../support/ports';

const TTL_MS = 1_000;
/** How often the test asks; one interval is the slack on the documented bound, the TTL. */
const POLL_MS = 200;
const order = {
  customer: { name: 'Ada', email: 'ada@example.com', phone: '123' },
  deliveryAddress: '1 Main St',
};

/** The fields these tests read, from a product, a page, a cart or an error. */
interface Answer {
  price?: number;
  totalElements?: number;
  items?: Array<{ code: string; price: number }>;
  message?: string;
}

/**
 * Two instances on one database, as deployed: `longTtl` keeps what it read for an hour
 * (so what it serves from memory is plain to see), `shortTtl` uses a 1 s TTL.
 */
describe('catalog cache across instances', () => {
  let db: TestDatabase;
  let longTtl: AppProcess;
  let shortTtl: AppProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    // One after the other: the first migrates, the second finds nothing to do.
    longTtl = await startAppProcess({ DATABASE_URL: db.url, CATALOG_CACHE_TTL: '1h' });
    shortTtl = await startAppProcess({ DATABASE_URL: db.url, CATALOG_CACHE_TTL: `${TTL_MS}ms` });
  });

  afterAll(async () => {
    await Promise.all([longTtl?.stop(), shortTtl?.stop()]);
    await db?.drop();
  });

  const call = async (app: AppProcess, path: string, init: RequestInit = {}) => {
    const res = await fetch(`${app.url}${path}`, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...init.headers },
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as Answer;
    return { status: res.status, body, headers: res.headers };
  };
  const price = async (app: AppProcess, code: string): Promise<number | undefined> =>
    (await call(app, `/api/products/${code}`)).body.price;
  const pageTotal = async (app: AppProcess): Promise<number | undefined> =>
    (await call(app, '/api/products?page=2')).body.totalElements;

  /**
   * Asks every POLL_MS after a change committed at `changedAt`: once an answer is new, no later
   * one may be old, and the first request begun TTL + one poll interval after the change must
   * be answered with the new value (a slow machine makes requests late, never early).
   */
  async function staleAtMostTtl<T>(
    what: string,
    read: () => Promise<T>,
    fresh: T,
    changedAt: number,
  ): Promise<void> {
    const answers: Array<{ after: number; value: T }> = [];
    for (;;) {
      const after = Date.now() - changedAt;
      answers.push({ after, value: await read() });
      if (after >= TTL_MS + POLL_MS) break;
      await sleep(POLL_MS);
    }
    const firstFresh = answers.findIndex((a) => a.value === fresh);
    expect({ what, answers: answers.slice(Math.max(firstFresh, 0)) }).toEqual({
      what,
      answers: answers
        .slice(Math.max(firstFresh, 0))
        .map((a) => ({ after: a.after, value: fresh })),
    });
  }

  it('shows a price change and a new product on every instance within the TTL', async () => {
    for (const app of [longTtl, shortTtl]) {
      expect(await price(app, 'P102')).toBe(44.5);
      expect(await pageTotal(app)).toBe(15);
      expect((await call(app, '/api/products/P900')).status).toBe(404);
    }
    await db.query("UPDATE catalog.products SET price = 47.25 WHERE code = 'P102'");
    await db.query(
      "INSERT INTO catalog.products (code, name, price) VALUES ('P900', 'Zebra Tales', 9.99)",
    );

    const changedAt = Date.now();

    await staleAtMostTtl('the new price', () => price(shortTtl, 'P102'), 47.25, changedAt);
    await staleAtMostTtl('the new product', () => price(shortTtl, 'P900'), 9.99, changedAt);
    await staleAtMostTtl('the new page', () => pageTotal(shortTtl), 16, changedAt);
    // Adding to the cart uses the same look-up, so it prices the line at the new price too.
    const added = await call(shortTtl, '/api/cart/items', {
      method: 'POST',
      body: JSON.stringify({ code: 'P102', quantity: 1 }),
    });
    expect(added.body.items?.[0]).toMatchObject({ code: 'P102', price: 47.25 });

    // Within its hour, the other instance still answers from memory: the cache is real.
    expect(await price(longTtl, 'P102')).toBe(44.5);
    expect(await pageTotal(longTtl)).toBe(15);
    expect((await call(longTtl, '/api/products/P900')).status).toBe(404);
  });

  it('never serves stock from a cache: an order takes it from PostgreSQL', async () => {
    const added = await call(longTtl, '/api/cart/items', {
      method: 'POST',
      body: JSON.stringify({ code: 'P103', quantity: 2 }),
    });
    expect(added.status).toBe(201);
    const cookie = added.headers.getSetCookie()[0].split(';')[0];
    for (let i = 0; i < 3; i++) expect(await price(longTtl, 'P103')).toBe(44.5);

    await db.query("UPDATE inventory.stock SET quantity = 0 WHERE product_code = 'P103'");
    const placeOrder = () =>
      call(longTtl, '/api/orders', {
        method: 'POST',
        headers: { Cookie: cookie },
        body: JSON.stringify(order),
      });
    const short = await placeOrder();
    expect(short.status).toBe(409);
    expect(short.body.message).toContain('P103');

    await db.query("UPDATE inventory.stock SET quantity = 2 WHERE product_code = 'P103'");
    const placed = await placeOrder();
    expect(placed.status).toBe(201);
    const [row] = await db.query<{ quantity: number }>(
      "SELECT quantity FROM inventory.stock WHERE product_code = 'P103'",
    );
    expect(row.quantity).toBe(0);
  });
});
