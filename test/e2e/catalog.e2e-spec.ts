import { appMigrations } from '../../src/app.migrations';
import { startApp, useAppOnFreshDatabase } from '../support/app';

describe('catalog over HTTP on PostgreSQL', () => {
  const ctx = useAppOnFreshDatabase();
  const http = () => ctx.http();

  it('lists 15 books over 2 pages, 10 on the first', async () => {
    const res = await http().get('/api/products').expect(200);
    expect(res.body).toMatchObject({
      totalElements: 15,
      pageNumber: 1,
      totalPages: 2,
      isFirst: true,
      isLast: false,
      hasNext: true,
      hasPrevious: false,
    });
    expect(res.body.data).toHaveLength(10);
    const names = res.body.data.map((p: { name: string }) => p.name);
    expect(names).toEqual([...names].sort());
  });

  it('serves the second page with the last 5 books', async () => {
    const res = await http().get('/api/products?page=2').expect(200);
    expect(res.body).toMatchObject({ pageNumber: 2, isFirst: false, isLast: true, hasNext: false });
    expect(res.body.data).toHaveLength(5);
    const first = await http().get('/api/products?page=1');
    const codes = [...first.body.data, ...res.body.data].map((p: { code: string }) => p.code);
    expect(new Set(codes).size).toBe(15);
  });

  it('returns a product by code with an exact price', async () => {
    const res = await http().get('/api/products/P100').expect(200);
    expect(res.body).toEqual({
      code: 'P100',
      name: 'The Hunger Games',
      description: 'Winning will make you famous. Losing means certain death...',
      imageUrl: 'https://images.gr-assets.com/books/1447303603l/2767052.jpg',
      price: 34,
    });
    expect((await http().get('/api/products/P101')).body.price).toBe(45.4);
  });

  it('creates the catalog and inventory schemas with seeded rows', async () => {
    const schemas = await ctx.db.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname IN ('catalog', 'inventory') ORDER BY 1",
    );
    expect(schemas.map((s) => s.nspname)).toEqual(['catalog', 'inventory']);
    const [stock] = await ctx.db.query<{ n: string; total: string }>(
      'SELECT count(*) AS n, sum(quantity) AS total FROM inventory.stock',
    );
    expect(stock).toEqual({ n: '15', total: expect.any(String) });
    expect(Number(stock.total)).toBeGreaterThan(0);
  });

  it('does not duplicate seed rows when the app starts again', async () => {
    const again = await startApp({ DATABASE_URL: ctx.db.url });
    await again.close();
    const [row] = await ctx.db.query<{ n: string }>('SELECT count(*) AS n FROM catalog.products');
    expect(row.n).toBe('15');
    const migrations = await ctx.db.query('SELECT name FROM migrations');
    expect(migrations).toHaveLength(appMigrations.length);
  });
});
