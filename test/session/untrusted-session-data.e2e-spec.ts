import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { useAppOnFreshDatabase } from '../support/app';
import { redisClient, TEST_REDIS_URL, testNamespace } from '../support/redis';
import { sessionCookie } from '../support/session-app';
import { as, order } from '../support/shopping';

/**
 * Session hashes written by another version of the app, by hand or half-written: each case is
 * written into Redis directly, and the app must read past it (issue 19's table, row by row).
 */
describe('untrusted session data in Redis (the app, Postgres + Redis)', () => {
  const namespace = testNamespace();
  const ctx = useAppOnFreshDatabase({
    REDIS_URL: TEST_REDIS_URL,
    SESSION_NAMESPACE: namespace,
    SESSION_NEW_PER_MINUTE: '0',
  });
  const redis = redisClient();
  const http = () => ctx.http();
  const key = (id: string) => `${namespace}:sessions:${id}`;
  const line = { code: 'P100', name: 'The Hunger Games', priceCents: 3400, quantity: 1 };

  afterAll(() => redis.disconnect());

  /** A real session (made through the API, so every field is as the app writes it). */
  async function session(): Promise<string> {
    const res = await http()
      .post('/api/cart/items')
      .send({ code: 'P101', quantity: 1 })
      .expect(201);
    return sessionCookie(res)!;
  }

  async function withAttribute(name: string, stored: string): Promise<string> {
    const id = await session();
    await redis.hset(key(id), `sessionAttr:${name}`, stored);
    return id;
  }

  const stored = (id: string, name: string) => redis.hget(key(id), `sessionAttr:${name}`);
  const orders = async () =>
    (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders.orders'))[0].n;

  describe('cart not JSON: an empty cart, 2xx, the bad value removed', () => {
    const EMPTY = { items: [], totalAmount: 0, itemCount: 0 };

    it('GET /api/cart, warned once without the session id', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      try {
        const id = await withAttribute('cart', '{"lines": [');
        await http().get('/api/cart').set(as(id)).expect(200, EMPTY);
        expect(await stored(id, 'cart')).toBeNull();
        const warnings = warn.mock.calls
          .map((c) => String(c[0]))
          .filter((m) => m.includes("'cart'"));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).not.toContain(id);
        await http().get('/api/cart').set(as(id)).expect(200, EMPTY);
      } finally {
        warn.mockRestore();
      }
    });

    it('DELETE /api/cart', async () => {
      const id = await withAttribute('cart', 'not json');
      await http().delete('/api/cart').set(as(id)).expect(204);
      expect(await stored(id, 'cart')).toBeNull();
    });

    it('POST /api/cart/items starts a fresh cart', async () => {
      const id = await withAttribute('cart', '\u0000garbage');
      const res = await http()
        .post('/api/cart/items')
        .set(as(id))
        .send({ code: 'P102', quantity: 2 });
      expect([res.status, res.body.itemCount]).toEqual([201, 2]);
    });

    it('POST /api/orders takes the body item', async () => {
      const id = await withAttribute('cart', '[[[');
      const item = { code: 'P100', quantity: 1 };
      await http().post('/api/orders').set(as(id)).send(order({ item })).expect(201);
      expect(await stored(id, 'cart')).toBeNull();
    });
  });

  it('recently-viewed garbage: the product page is 200 and the list starts again', async () => {
    const id = await withAttribute('recentlyViewed', '{"P100": true}');
    await http().get('/api/products/P103').set(as(id)).expect(200);
    expect(await stored(id, 'recentlyViewed')).toBe('["P103"]');
    const recent = await http().get('/api/products/recently-viewed').set(as(id)).expect(200);
    expect(recent.body.map((p: { code: string }) => p.code)).toEqual(['P103']);
  });

  it.each(['maxInactiveInterval', 'creationTime', 'lastAccessedTime'])(
    'a hash without %s is no session: never a 503, never adopted',
    async (missing) => {
      const id = randomBytes(32).toString('base64url');
      const fields: Record<string, string> = {
        creationTime: String(Date.now()),
        lastAccessedTime: String(Date.now()),
        maxInactiveInterval: '1800',
        'sessionAttr:cart': JSON.stringify({ lines: [line] }),
      };
      delete fields[missing];
      await redis.hset(key(id), fields);
      await redis.expire(key(id), 600);
      await http()
        .get('/api/cart')
        .set(as(id))
        .expect(200, { items: [], totalAmount: 0, itemCount: 0 });
      const res = await http()
        .post('/api/cart/items')
        .set(as(id))
        .send({ code: 'P100', quantity: 1 });
      expect(res.status).toBe(201);
      expect(sessionCookie(res)).not.toBe(id);
      expect(res.body.itemCount).toBe(1);
    },
  );

  it.each([
    ['duplicate lines', { lines: [line, line] }],
    ['quantity 0', { lines: [{ ...line, quantity: 0 }] }],
    ['quantity 100', { lines: [{ ...line, quantity: 100 }] }],
    ['a missing field', { lines: [{ code: 'P100', priceCents: 3400, quantity: 1 }] }],
    ['a string price', { lines: [{ ...line, priceCents: '3400' }] }],
    ['no lines at all', { items: [line] }],
  ])('cart with %s: dropped whole, an empty cart, no order from it', async (_, cart) => {
    const id = await withAttribute('cart', JSON.stringify(cart));
    const before = await orders();
    await http()
      .get('/api/cart')
      .set(as(id))
      .expect(200, { items: [], totalAmount: 0, itemCount: 0 });
    await http().post('/api/orders').set(as(id)).send(order()).expect(400);
    expect(await orders()).toBe(before);
    expect(await stored(id, 'cart')).toBeNull();
  });

  it('visitor key not a UUID: treated as absent, a new one on the next order', async () => {
    const id = await withAttribute('orderVisitor', '"../../etc"');
    await http().get('/api/orders').set(as(id)).expect(200);
    const item = { code: 'P100', quantity: 1 };
    const placed = await http().post('/api/orders').set(as(id)).send(order({ item })).expect(201);
    const visitor = JSON.parse((await stored(id, 'orderVisitor'))!) as string;
    expect(visitor).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await http().get(`/api/orders/${placed.body.orderNumber}`).set(as(id)).expect(200);
  });

  it.each([['{"name":"alice"}'], ['42'], ['""'], ['[']])(
    'principal %s (not a user name): not logged in',
    async (principal) => {
      const id = await withAttribute('principalName', principal);
      await http().get('/api/auth/me').set(as(id)).expect(401);
    },
  );
});
