import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppProcess, appEnvOn, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { sessionCookie } from '../support/session-app';
import { order } from '../support/shopping';
import { NginxProcess, startNginx } from '../topology/nginx';

const FRONTEND = 'http://localhost:5173';
const SITES = ['(absent)', 'same-origin', 'none', 'same-site', 'cross-site'] as const;
type Headers = Record<string, string>;

/** What each Origin × Sec-Fetch-Site pair gets, per method and session mode (docs/hardening.md). */
const EXPECTED = {
  //                  absent same-origin none same-site cross-site
  '(absent)': { cookie: [201, 201, 201, 403, 403] },
  'same origin': { cookie: [201, 201, 201, 403, 403] },
  'CORS_ORIGINS entry': { cookie: [201, 201, 201, 201, 201] },
  'same host, other port': { cookie: [403, 201, 201, 403, 403] },
  'https://evil.example': { cookie: [403, 201, 201, 403, 403] },
  null: { cookie: [403, 201, 201, 403, 403] },
};

/**
 * Go 1.25's CrossOriginProtection rule in cookie mode: unsafe requests from another origin are
 * refused (403, nothing changed, one info line), whatever they carry; header mode is exempt.
 */
describe('cross-origin requests', () => {
  let db: TestDatabase;
  let cookieApp: AppProcess;
  let headerApp: AppProcess;
  let nginx: NginxProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      ...appEnvOn(db),
      SESSION_NEW_PER_MINUTE: '0',
      CORS_ORIGINS: FRONTEND,
    };
    cookieApp = await startAppProcess(env);
    headerApp = await startAppProcess({ ...env, SESSION_ID_RESOLVER: 'header' });
    nginx = await startNginx([cookieApp.port]);
  });

  afterAll(async () => {
    await nginx?.stop();
    await cookieApp?.stop();
    await headerApp?.stop();
    await db?.drop();
  });

  const origins = (app: AppProcess): Record<keyof typeof EXPECTED, string | undefined> => ({
    '(absent)': undefined,
    'same origin': app.url,
    'CORS_ORIGINS entry': FRONTEND,
    'same host, other port': `http://127.0.0.1:${app.port === 65535 ? 1 : app.port + 1}`,
    'https://evil.example': 'https://evil.example',
    null: 'null',
  });
  const browser = (origin?: string, site?: string): Headers => ({
    ...(origin ? { Origin: origin } : {}),
    ...(site && site !== '(absent)' ? { 'Sec-Fetch-Site': site } : {}),
  });
  const addToCart = (url: string, headers: Headers, code = 'P100') =>
    request(url).post('/api/cart/items').set(headers).send({ code, quantity: 1 });
  const cartOf = async (url: string, headers: Headers) =>
    (await request(url).get('/api/cart').set(headers).expect(200)).body as { itemCount: number };

  async function matrix(app: AppProcess, session: Headers) {
    const seen: Record<string, { GET: number[]; POST: number[] }> = {};
    for (const [name, origin] of Object.entries(origins(app))) {
      seen[name] = { GET: [], POST: [] };
      for (const site of SITES) {
        const headers = { ...session, ...browser(origin, site) };
        seen[name].GET.push((await request(app.url).get('/api/cart').set(headers)).status);
        seen[name].POST.push((await addToCart(app.url, headers)).status);
      }
    }
    return seen;
  }

  it('cookie mode: applies the rule to every Origin × Sec-Fetch-Site pair, GET always passes', async () => {
    const id = sessionCookie(await addToCart(cookieApp.url, {}).expect(201));
    const session = { Cookie: `BOOKSTORE_SESSION=${id}` };
    const seen = await matrix(cookieApp, session);
    const expected = Object.fromEntries(
      Object.entries(EXPECTED).map(([o, e]) => [o, { GET: SITES.map(() => 200), POST: e.cookie }]),
    );
    expect(seen).toEqual(expected);
    const accepted = Object.values(seen).flatMap((s) => s.POST.filter((x) => x === 201));
    expect((await cartOf(cookieApp.url, session)).itemCount).toBe(1 + accepted.length);
  });

  it('header (X-Auth-Token) mode: exempt, everything passes', async () => {
    const res = await addToCart(headerApp.url, {}).expect(201);
    const session = { 'X-Auth-Token': res.headers['x-auth-token'] };
    const seen = await matrix(headerApp, session);
    const all = (status: number) => SITES.map(() => status);
    expect(Object.values(seen)).toEqual(
      Object.keys(EXPECTED).map(() => ({ GET: all(200), POST: all(201) })),
    );
    expect((await cartOf(headerApp.url, session)).itemCount).toBe(1 + 6 * SITES.length);
  });

  it('refuses cross-site cart changes, orders and logout with the session cookie; nothing changes', async () => {
    const url = cookieApp.url;
    const id = sessionCookie(await addToCart(url, {}, 'P101').expect(201));
    const session = { Cookie: `BOOKSTORE_SESSION=${id}` };
    const evil = { ...session, Origin: 'https://evil.example' };
    const crossSite = { ...session, 'Sec-Fetch-Site': 'cross-site' };
    const stock = async () =>
      (
        await db.query<{ q: number }>(`SELECT quantity AS q FROM inventory.stock
        WHERE product_code = 'P101'`)
      )[0].q;
    const stockBefore = await stock();

    const refused = [
      await addToCart(url, evil, 'P102'),
      await request(url).put('/api/cart/items/P101').set(evil).send({ quantity: 5 }),
      await request(url)
        .delete('/api/cart/items/P101')
        .set({ ...session, Origin: 'null' }),
      await request(url).delete('/api/cart').set(crossSite),
      await request(url).post('/api/orders').set(evil).send(order()),
      await request(url)
        .post('/api/orders')
        .set({ ...session, Origin: 'null' })
        .send(order()),
      await request(url).post('/api/auth/logout').set(crossSite).send({}),
    ];
    expect(refused.map((r) => r.status)).toEqual(refused.map(() => 403));
    expect(refused[0].body).toEqual({
      status: 403,
      error: 'Forbidden',
      message: expect.stringMatching(/cross-origin/i),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      path: '/api/cart/items',
    });
    expect(refused.every((r) => r.headers['set-cookie'] === undefined)).toBe(true);
    const cart = (await request(url).get('/api/cart').set(session).expect(200)).body;
    expect(cart.items.map((i: { code: string; quantity: number }) => [i.code, i.quantity])).toEqual(
      [['P101', 1]],
    );
    expect(await stock()).toBe(stockBefore);
    expect(await db.query('SELECT 1 FROM orders.orders')).toEqual([]);
  });

  it('refuses a cross-site login, which carries no cookie (login CSRF)', async () => {
    const login = (headers: Headers) =>
      request(cookieApp.url)
        .post('/api/auth/login')
        .set(headers)
        .send({ username: 'alice', password: 'alice-secret-1' });
    const crossSite: Headers[] = [
      { Origin: 'https://evil.example' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ];
    for (const headers of crossSite) {
      const res = await login(headers);
      expect(res.status).toBe(403);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect((await login({ 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
  });

  it('logs each refusal once, at info', async () => {
    const origin = `https://evil-${randomBytes(4).toString('hex')}.example`;
    expect((await addToCart(cookieApp.url, { Origin: origin })).status).toBe(403);
    const log = await cookieApp.outputWith(origin);
    const lines = log.split('\n').filter((l) => l.includes(origin));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 30,
      msg: expect.stringMatching(/refused/),
    });
  });

  it('through nginx: a same-origin browser request passes, a cross-site one does not', async () => {
    const url = nginx!.url;
    const sameOrigin = { Origin: url, 'Sec-Fetch-Site': 'same-origin' };
    const id = sessionCookie(await addToCart(url, sameOrigin).expect(201));
    const session = { Cookie: `BOOKSTORE_SESSION=${id}` };
    // An older browser sends no Sec-Fetch-Site: the Origin must then match Host, port included.
    expect((await addToCart(url, { ...session, Origin: url })).status).toBe(201);
    expect((await addToCart(url, { ...session, ...browser('https://evil.example') })).status).toBe(
      403,
    );
    expect((await addToCart(url, { ...session, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await cartOf(url, session)).itemCount).toBe(2);
  });
});
