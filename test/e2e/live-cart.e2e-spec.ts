import request from 'supertest';
import WebSocket from 'ws';
import { AppProcess, appEnvOn, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { pollFor } from '../support/ports';
import { sessionCookie } from '../support/session-app';

const cookie = (id: string) => `BOOKSTORE_SESSION=${id}`;

interface Live {
  socket: WebSocket;
  messages: Array<{ type: string; [key: string]: unknown }>;
  closed?: { code: number; at: number };
}

/** A live-cart socket; resolves once open, or rejects with the refused upgrade's status. */
function openLive(app: AppProcess, headers: Record<string, string>): Promise<Live> {
  const socket = new WebSocket(`ws://127.0.0.1:${app.port}/api/cart/live`, {
    headers,
    handshakeTimeout: 10_000,
  });
  const live: Live = { socket, messages: [] };
  socket.on('message', (data) => live.messages.push(JSON.parse((data as Buffer).toString())));
  socket.on('close', (code) => (live.closed = { code, at: Date.now() }));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(live));
    socket.once('unexpected-response', (_req, res) => {
      reject(new Error(`refused: ${res.statusCode}`));
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

const carts = (live: Live) => live.messages.filter((m) => m.type === 'cart');
const itemCount = (live: Live) =>
  (carts(live).at(-1)?.cart as { itemCount: number } | undefined)?.itemCount;

/** Two app processes on one Redis (SESSION_LIVE_EVENTS on through LIVE_CART's default). */
describe('live cart over WebSocket, two instances', () => {
  let db: TestDatabase;
  let a: AppProcess;
  let b: AppProcess;
  const opened: Live[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      ...appEnvOn(db),
      SESSION_NEW_PER_MINUTE: '0',
      CORS_ORIGINS: 'http://localhost:5173',
      LIVE_CART_MAX_SOCKETS_PER_SESSION: '2',
    };
    [a, b] = await Promise.all([
      startAppProcess({ ...env, LIVE_CART_MAX_SOCKETS: '3' }),
      startAppProcess(env),
    ]);
  }, 180_000);

  afterAll(async () => {
    for (const live of opened) live.socket.terminate();
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  async function open(app: AppProcess, id: string, origin = `http://127.0.0.1:${app.port}`) {
    const live = await openLive(app, { Origin: origin, Cookie: cookie(id) });
    opened.push(live);
    return live;
  }

  async function newCart(): Promise<string> {
    const res = await request(a.url).post('/api/cart/items').send({ code: 'P100', quantity: 1 });
    expect(res.status).toBe(201);
    return sessionCookie(res)!;
  }

  it('refuses the upgrade without Origin, from a foreign Origin, and without a session', async () => {
    const id = await newCart();
    const own = `http://127.0.0.1:${b.port}`;
    await expect(openLive(b, { Cookie: cookie(id) })).rejects.toThrow('refused: 403');
    await expect(
      openLive(b, { Origin: 'http://evil.example', Cookie: cookie(id) }),
    ).rejects.toThrow('refused: 403');
    await expect(openLive(b, { Origin: own })).rejects.toThrow('refused: 401');
    await expect(openLive(b, { Origin: own, Cookie: cookie('x'.repeat(43)) })).rejects.toThrow(
      'refused: 401',
    );
    // A trusted dev frontend (CORS_ORIGINS) may open it.
    const trusted = await open(b, id, 'http://localhost:5173');
    await pollFor(
      'the hello and cart',
      () => Promise.resolve(itemCount(trusted) === 1 ? true : undefined),
      {
        timeoutMs: 10_000,
      },
    );
    // Bounded per session: the third socket of one session is refused.
    await open(b, id);
    await expect(openLive(b, { Origin: own, Cookie: cookie(id) })).rejects.toThrow('refused: 429');
  });

  it('greets with the instance and the whole cart; a change on A reaches a socket on B', async () => {
    const id = await newCart();
    const onA = await open(a, id);
    const onB = await open(b, id);
    await pollFor(
      'both carts',
      () => Promise.resolve(itemCount(onA) && itemCount(onB) ? true : undefined),
      {
        timeoutMs: 10_000,
      },
    );
    const hello = (live: Live) => live.messages.find((m) => m.type === 'hello')?.instance;
    expect(hello(onA)).toEqual(expect.any(String));
    expect(hello(onA)).not.toEqual(hello(onB));
    expect(carts(onB)[0].cart).toEqual({
      items: [expect.objectContaining({ code: 'P100', quantity: 1 })],
      totalAmount: expect.any(Number),
      itemCount: 1,
    });

    const latencies: number[] = [];
    for (const quantity of [2, 3, 4, 5, 6]) {
      const put = await request(a.url)
        .put('/api/cart/items/P100')
        .set('Cookie', cookie(id))
        .send({ quantity });
      expect(put.status).toBe(200);
      const answered = Date.now();
      await pollFor(
        `quantity ${quantity} on B`,
        () => Promise.resolve(itemCount(onB) === quantity ? true : undefined),
        { timeoutMs: 10_000, intervalMs: 2 },
      );
      latencies.push(Date.now() - answered);
    }
    console.log(`live cart: A's answer to B's socket ${latencies.join(', ')} ms`);
  });

  it('bounds sockets per instance and the size of a message', async () => {
    // A's bound is 3: the sockets of the tests before are closed first.
    const earlier = opened.splice(0);
    for (const live of earlier) live.socket.close();
    await pollFor(
      'the earlier sockets to close',
      () => Promise.resolve(earlier.every((live) => live.closed) || undefined),
      { timeoutMs: 10_000 },
    );
    const own = `http://127.0.0.1:${a.port}`;
    const first = await open(a, await newCart());
    await open(a, await newCart());
    await open(a, await newCart());
    await expect(openLive(a, { Origin: own, Cookie: cookie(await newCart()) })).rejects.toThrow(
      'refused: 503',
    );
    first.socket.send('x'.repeat(2_000));
    const closed = await pollFor('the close', () => Promise.resolve(first.closed), {
      timeoutMs: 5_000,
    });
    expect(closed.code).toBe(1009);
  });

  it('closes the socket on B within 5 s of a logout on A', async () => {
    const login = await request(a.url)
      .post('/api/auth/login')
      .send({ username: 'alice', password: 'alice-secret-1' });
    expect(login.status).toBe(200);
    const id = sessionCookie(login)!;
    const onB = await open(b, id);
    await pollFor('the cart', () => Promise.resolve(carts(onB).length > 0 ? true : undefined), {
      timeoutMs: 10_000,
    });
    const logout = await request(a.url).post('/api/auth/logout').set('Cookie', cookie(id));
    expect(logout.status).toBe(204);
    const loggedOut = Date.now();
    const closed = await pollFor('the close', () => Promise.resolve(onB.closed), {
      timeoutMs: 5_000,
    });
    expect(closed.code).toBe(4401);
    console.log(`live cart: logout on A closed B's socket after ${closed.at - loggedOut} ms`);
  });

  it('moves to the new id at login: closed with 4001, the new cookie connects', async () => {
    const id = await newCart();
    const onB = await open(b, id);
    await pollFor('the cart', () => Promise.resolve(carts(onB).length > 0 ? true : undefined), {
      timeoutMs: 10_000,
    });
    const login = await request(a.url)
      .post('/api/auth/login')
      .set('Cookie', cookie(id))
      .send({ username: 'bob', password: 'bob-secret-2' });
    expect(login.status).toBe(200);
    const closed = await pollFor('the close', () => Promise.resolve(onB.closed), {
      timeoutMs: 5_000,
    });
    expect(closed.code).toBe(4001);
    const again = await open(b, sessionCookie(login)!);
    await pollFor(
      'the kept cart',
      () => Promise.resolve(itemCount(again) === 1 ? true : undefined),
      {
        timeoutMs: 10_000,
      },
    );
  });

  it('closes sockets with 1001 on SIGTERM', async () => {
    const id = await newCart();
    const onB = await open(b, id);
    await pollFor('the cart', () => Promise.resolve(carts(onB).length > 0 ? true : undefined), {
      timeoutMs: 10_000,
    });
    const stopped = b.stop();
    const closed = await pollFor('the close', () => Promise.resolve(onB.closed), {
      timeoutMs: 10_000,
    });
    expect(closed.code).toBe(1001);
    expect(await stopped).toBe(0);
  });
});

describe('live cart: an idle socket closes when its session expires, without expiry events', () => {
  let db: TestDatabase;
  let app: AppProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startAppProcess({
      ...appEnvOn(db),
      SESSION_TIMEOUT: '10',
      // No keyspace notifications: only the gateway's own re-check at expiresAt can see it.
      SESSION_KEYSPACE_EVENTS: 'off',
    });
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it('closes an idle one with 4401 within 5 s of the expiry; messages keep one alive', async () => {
    const newSession = async () =>
      sessionCookie(
        await request(app.url).post('/api/cart/items').send({ code: 'P100', quantity: 1 }),
      )!;
    const origin = `http://127.0.0.1:${app.port}`;
    const [idle, busy] = [await newSession(), await newSession()];
    const lastUse = Date.now();
    const live = await openLive(app, { Origin: origin, Cookie: cookie(idle) });
    const used = await openLive(app, { Origin: origin, Cookie: cookie(busy) });
    const touching = setInterval(() => used.socket.send('{"type":"touch"}'), 1_000);
    try {
      const closed = await pollFor('the close', () => Promise.resolve(live.closed), {
        timeoutMs: 30_000,
      });
      expect(closed.code).toBe(4401);
      // The session expires 10 s after its last use (the request, not the socket).
      expect(closed.at - lastUse).toBeLessThan(10_000 + 5_000);
      expect(closed.at - lastUse).toBeGreaterThanOrEqual(9_000);
      console.log(`live cart: closed ${closed.at - lastUse - 10_000} ms after the expiry`);

      // The socket in use kept its session alive past the 10 s its last request gave it.
      await pollFor('15 s', () => Promise.resolve(Date.now() - lastUse > 15_000 || undefined), {
        timeoutMs: 20_000,
      });
      expect(used.closed).toBeUndefined();
      const cart = await request(app.url).get('/api/cart').set('Cookie', cookie(busy));
      expect(cart.body).toMatchObject({ itemCount: 1 });
    } finally {
      clearInterval(touching);
      live.socket.terminate();
      used.socket.terminate();
    }
  });
});
