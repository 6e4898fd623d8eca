import { as, useShoppingApp } from '../support/shopping';

/** A visitor gets a session only once something is stored for them; what it carries besides. */
describe('shopping: the visitor session (Postgres + Redis)', () => {
  const shop = useShoppingApp();
  const http = () => shop.http();

  it('reads an empty cart without creating a session', async () => {
    const res = await http()
      .get('/api/cart')
      .expect(200, { items: [], totalAmount: 0, itemCount: 0 });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('404s an unknown product in the cart without creating a session', async () => {
    const res = await http()
      .post('/api/cart/items')
      .send({ code: 'NOPE', quantity: 1 })
      .expect(404);
    expect(res.body.message).toContain('NOPE');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('records recently viewed products only for visitors with a session', async () => {
    const anonymous = await http().get('/api/products/P100').expect(200);
    expect(anonymous.headers['set-cookie']).toBeUndefined();
    await http().get('/api/products/recently-viewed').expect(200, []);
    const id = await shop.cartWith([['P100', 1]]);
    for (const code of ['P101', 'P102', 'P101'])
      await http().get(`/api/products/${code}`).set(as(id)).expect(200);
    const recent = await http().get('/api/products/recently-viewed').set(as(id)).expect(200);
    expect(recent.body.map((p: { code: string }) => p.code)).toEqual(['P101', 'P102']);
  });

  it('exposes session, store and outbox metrics', async () => {
    await shop.cartWith([['P100', 1]]);
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^sessions_total\{event="created"\} [1-9]/m);
    expect(metrics).toMatch(/^session_store_operation_seconds_count\{operation="load"\} [1-9]/m);
    expect(metrics).toMatch(/^session_store_operation_seconds_count\{operation="write"\} [1-9]/m);
    expect(metrics).toMatch(/^outbox_backlog\{destination="in-process"\} \d+$/m);
  });

  it('records all of 14 parallel views in one session (atomic, like the cart)', async () => {
    const id = await shop.cartWith([['P100', 1]]);
    const codes = Array.from({ length: 14 }, (_, i) => `P${101 + i}`);
    await Promise.all(codes.map((c) => http().get(`/api/products/${c}`).set(as(id)).expect(200)));
    const recent = await http().get('/api/products/recently-viewed').set(as(id)).expect(200);
    expect(recent.body.map((p: { code: string }) => p.code).sort()).toEqual(codes.sort());
  });

  it('marks every session-dependent response Cache-Control: no-store, errors too', async () => {
    const id = await shop.cartWith([['P100', 1]]);
    const personal = [
      ['get', '/api/cart'],
      ['put', '/api/cart/items/P999'],
      ['get', '/api/orders'],
      ['get', '/api/orders/00000000-0000-0000-0000-000000000000'],
      ['get', '/api/auth/me'],
      ['get', '/api/products/recently-viewed'],
      ['post', '/api/auth/logout'],
    ] as const;
    for (const [method, path] of personal) {
      const res = await http()[method](path).set(as(id)).send({ quantity: 1 });
      expect([path, res.headers['cache-control']]).toEqual([path, 'no-store']);
    }
    // The product page records the view in the session: private too. The catalog list is shared.
    const viewed = await http().get('/api/products/P100').set(as(id)).expect(200);
    expect(viewed.headers['cache-control']).toBe('no-store');
    const shared = await http().get('/api/products?page=1').expect(200);
    expect(shared.headers['cache-control']).toBeUndefined();
  });
});
