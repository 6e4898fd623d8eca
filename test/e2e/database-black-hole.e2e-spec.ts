import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { TcpProxy } from '../support/tcp-proxy';

const BOUND_MS = 5_000;
const order = {
  customer: { name: 'Ada', email: 'ada@example.com', phone: '123' },
  deliveryAddress: '1 Main St',
  item: { code: 'P100', quantity: 1 },
};

describe('database black-holed (connections accepted, nothing answered)', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let app: AppProcess | undefined;
  let cookie = '';

  async function call(path: string, init: RequestInit = {}) {
    const started = Date.now();
    const res = await fetch(`${app!.url}${path}`, {
      ...init,
      headers: { 'Content-Type': 'application/json', Cookie: cookie, ...init.headers },
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as { message?: string };
    cookie ||= /BOOKSTORE_SESSION=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
    return {
      status: res.status,
      body,
      ms: Date.now() - started,
      retryAfter: res.headers.get('retry-after'),
    };
  }
  const post = (path: string, body: unknown) =>
    call(path, { method: 'POST', body: JSON.stringify(body) });

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = new TcpProxy(db.url);
    await proxy.start();
    app = await startAppProcess({
      DATABASE_URL: proxy.url,
      LOG_LEVEL: 'warn',
      DATABASE_QUERY_TIMEOUT_MS: '3000', // the production default, which the test holds to
    });
  });

  afterAll(async () => {
    await app?.stop();
    await proxy?.stop();
    await db?.drop();
  });

  it('answers 503 within 5 s on every path that needs the database', async () => {
    // Warm: pooled connections exist (they go silent too), and the session has orders.
    expect((await post('/api/orders', order)).status).toBe(201);
    expect((await call('/api/orders')).status).toBe(200);

    proxy.blackhole();
    const results = {
      ready: await call('/health/ready'),
      orders: await call('/api/orders'),
      place: await post('/api/orders', order),
      catalog: await call('/api/products?page=2'),
      product: await call('/api/products/P101'),
      // Again: the connections that timed out must not hold up the next requests.
      ordersAgain: await call('/api/orders'),
      placeAgain: await post('/api/orders', order),
    };
    for (const [name, r] of Object.entries(results)) {
      // A cached catalog may still answer 200: what may never happen is a long wait.
      const expected = name === 'catalog' || name === 'product' ? [200, 503] : [503];
      expect({ name, ok: expected.includes(r.status), fast: r.ms < BOUND_MS }).toEqual({
        name,
        ok: true,
        fast: true,
      });
      if (r.status === 503 && name !== 'ready') {
        expect([r.body.message, r.retryAfter]).toEqual(['Database unavailable', '5']);
      }
    }
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders.orders');
    expect(n).toBe(1);
  });
});
