import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { UsersService } from '../../src/modules/identity/application/users.service';
import { startApp, useAppOnFreshDatabase } from '../support/app';
import { redisClient, TEST_REDIS_URL, testNamespace } from '../support/redis';
import { sessionCookie } from '../support/session-app';

const namespace = testNamespace();
const env = {
  REDIS_URL: TEST_REDIS_URL,
  SESSION_NAMESPACE: namespace,
  SESSION_NEW_PER_MINUTE: '0',
  SESSION_MAX_PER_USER: '2',
  LOGIN_MAX_ATTEMPTS_PER_USER: '3',
  LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '1000',
};
const customer = { name: 'Ada', email: 'ada@example.com', phone: '123' };
const SET_COOKIE =
  /^BOOKSTORE_SESSION=([\w-]{43}); Path=\/; HttpOnly; SameSite=Strict(; Max-Age=(\d+))?$/;

describe('identity over HTTP (Postgres + Redis, two app instances)', () => {
  const ctx = useAppOnFreshDatabase(env);
  let other: NestExpressApplication;
  let userNo = 0;
  const a = () => ctx.http();
  const b = () => request(other.getHttpServer());
  const as = (id: string) => ({ Cookie: `BOOKSTORE_SESSION=${id}` });

  beforeAll(async () => {
    other = await startApp({ DATABASE_URL: ctx.db.url, ...env });
  });

  afterAll(() => other?.close());

  async function newUser(): Promise<{ username: string; password: string }> {
    const user = { username: `user${++userNo}`, password: `pw-${userNo}-secret` };
    await ctx.app.get(UsersService).create(user.username, user.password, 'Test User');
    return user;
  }

  async function login(user: { username: string; password: string }, id?: string, extra = {}) {
    const res = await a()
      .post('/api/auth/login')
      .set(id ? as(id) : {})
      .send({ ...user, ...extra })
      .expect(200, { username: user.username });
    return sessionCookie(res)!;
  }

  it('logs a demo user in', async () => {
    const id = await login({ username: 'alice', password: 'alice-secret-1' });
    await b().get('/api/auth/me').set(as(id)).expect(200, { username: 'alice' });
  });

  it('rotates the id on login, keeps the cart, and kills the old id', async () => {
    const cartRes = await a()
      .post('/api/cart/items')
      .send({ code: 'P100', quantity: 2 })
      .expect(201);
    const anon = sessionCookie(cartRes)!;
    const id = await login(await newUser(), anon);
    expect(id).not.toBe(anon);
    const cart = await b().get('/api/cart').set(as(id)).expect(200);
    expect(cart.body.itemCount).toBe(2);
    await b()
      .get('/api/cart')
      .set(as(anon))
      .expect(200, { items: [], totalAmount: 0, itemCount: 0 });
    await a().get('/api/auth/me').set(as(anon)).expect(401);
  });

  it('never carries a forged pre-login id into the logged-in session', async () => {
    const forged = 'A'.repeat(43);
    const id = await login(await newUser(), forged);
    expect(id).not.toBe(forged);
    await a().get('/api/auth/me').set(as(forged)).expect(401);
  });

  it('gives one generic 401 for a wrong user or password, then 429', async () => {
    const user = await newUser();
    const wrongPassword = await a()
      .post('/api/auth/login')
      .send({ ...user, password: 'nope' })
      .expect(401);
    const wrongUser = await a()
      .post('/api/auth/login')
      .send({ username: 'ghost', password: 'x' })
      .expect(401);
    expect(wrongPassword.body.message).toBe(wrongUser.body.message);
    await a()
      .post('/api/auth/login')
      .send({ ...user, password: 'nope' })
      .expect(401);
    await a()
      .post('/api/auth/login')
      .send({ ...user, password: 'nope' })
      .expect(401);
    const throttled = await b().post('/api/auth/login').send(user).expect(429);
    expect(throttled.headers['retry-after']).toBe('300');
    expect(throttled.body).toMatchObject({ status: 429, error: 'Too Many Requests' });
  });

  it('rejects bad login bodies with 400', async () => {
    await a().post('/api/auth/login').send({ username: 'alice' }).expect(400);
    await a().post('/api/auth/login').send({ username: 1, password: 'x' }).expect(400);
    await a()
      .post('/api/auth/login')
      .send({ username: 'a', password: 'x', admin: true })
      .expect(400);
    await a()
      .post('/api/auth/login')
      .send({ username: 'a', password: 'x', rememberMe: 'yes' })
      .expect(400);
  });

  it('logs out on one instance and the session is dead on the other', async () => {
    const id = await login(await newUser());
    const res = await a().post('/api/auth/logout').set(as(id)).expect(204);
    expect(res.headers['set-cookie'][0]).toMatch(/^BOOKSTORE_SESSION=; .*Max-Age=0/);
    await b().get('/api/auth/me').set(as(id)).expect(401);
    await a().get('/api/auth/me').expect(401);
  });

  it('logout-all ends the sessions held by two other clients', async () => {
    const user = await newUser();
    const [first, second] = [await login(user), await login(user)];
    const third = await login(user);
    await b().get('/api/auth/me').set(as(second)).expect(200);
    await b().post('/api/auth/logout-all').set(as(third)).expect(204);
    for (const id of [first, second, third]) await a().get('/api/auth/me').set(as(id)).expect(401);
    await a().post('/api/auth/logout-all').expect(401);
  });

  it('ends the least recently used session beyond SESSION_MAX_PER_USER', async () => {
    const user = await newUser();
    const first = await login(user);
    const second = await login(user);
    await new Promise((r) => setTimeout(r, 20));
    await b()
      .post('/api/cart/items')
      .set(as(first))
      .send({ code: 'P100', quantity: 1 })
      .expect(201);
    const third = await login(user);
    await a().get('/api/auth/me').set(as(second)).expect(401);
    await a().get('/api/auth/me').set(as(first)).expect(200);
    await a().get('/api/auth/me').set(as(third)).expect(200);
  });

  it('remember me: long timeout and a persistent cookie; otherwise a browser-session cookie', async () => {
    const user = await newUser();
    const plain = await a().post('/api/auth/login').send(user).expect(200);
    expect(SET_COOKIE.exec(plain.headers['set-cookie'][0])?.[3]).toBeUndefined();
    const remembered = await a()
      .post('/api/auth/login')
      .send({ ...user, rememberMe: true })
      .expect(200);
    const match = SET_COOKIE.exec(remembered.headers['set-cookie'][0])!;
    expect(match[3]).toBe(String(30 * 24 * 3600));
    const redis = redisClient();
    try {
      const ttl = await redis.pttl(`${namespace}:sessions:${match[1]}`);
      expect(ttl).toBeGreaterThan(29 * 24 * 3600 * 1000);
    } finally {
      redis.disconnect();
    }
  });

  it('shows users their own orders from any session, and an anonymous order stays in its session', async () => {
    const user = await newUser();
    const anonOrder = await a()
      .post('/api/orders')
      .send({ customer, deliveryAddress: 'x', item: { code: 'P100', quantity: 1 } })
      .expect(201);
    const anon = sessionCookie(anonOrder)!;
    const session = await login(user, anon);
    const userOrder = await a()
      .post('/api/orders')
      .set(as(session))
      .send({ customer, deliveryAddress: 'x', item: { code: 'P101', quantity: 1 } })
      .expect(201);
    const mine = (await b().get('/api/orders').set(as(session)).expect(200)).body;
    expect(mine.totalElements).toBe(2);
    const elsewhere = await login(user);
    const fromElsewhere = (await b().get('/api/orders').set(as(elsewhere)).expect(200)).body;
    expect(fromElsewhere.data.map((o: { orderNumber: string }) => o.orderNumber)).toEqual([
      userOrder.body.orderNumber,
    ]);
    const stranger = await login(await newUser());
    await a().get(`/api/orders/${userOrder.body.orderNumber}`).set(as(stranger)).expect(404);
    await a().get(`/api/orders/${userOrder.body.orderNumber}`).set(as(elsewhere)).expect(200);
  });
});
