import { useAppOnFreshDatabase } from '../support/app';
import { testNamespace, TEST_REDIS_URL } from '../support/redis';

type Json = Record<string, unknown>;
interface Body {
  method: 'post' | 'put';
  path: string;
  base: Json;
}

const ORDER: Body = {
  method: 'post',
  path: '/api/orders',
  base: {
    customer: { name: 'Ada', email: 'ada@example.com', phone: '123' },
    deliveryAddress: '1 Main St',
    item: { code: 'P100', name: 'The Hunger Games', price: 34, quantity: 1 },
  },
};
const BODIES: Record<string, Body> = {
  order: ORDER,
  'cart add': { method: 'post', path: '/api/cart/items', base: { code: 'P100', quantity: 1 } },
  'cart set': { method: 'put', path: '/api/cart/items/P100', base: { quantity: 1 } },
  login: {
    method: 'post',
    path: '/api/auth/login',
    base: { username: 'alice', password: 'alice-secret-1', rememberMe: false },
  },
};
const WRONG_TYPES: Array<[string, unknown]> = [
  ['array', ['x']],
  ['object', { x: 1 }],
  ['number', 7],
  ['boolean', true],
  ['null', null],
];
const PROTOTYPE_KEYS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'];

/** Every field path of a body, nested ones included ("customer", "customer.name"...). */
function fields(obj: Json, prefix = ''): Array<[string, unknown]> {
  return Object.entries(obj).flatMap(([k, v]) => {
    const path = prefix + k;
    const nested = v && typeof v === 'object' ? fields(v as Json, `${path}.`) : [];
    return [[path, v] as [string, unknown], ...nested];
  });
}

/** A deep copy of `obj` with the field at `path` replaced (own property, even for __proto__). */
function replaced(obj: Json, path: string, value: unknown): Json {
  const copy = structuredClone(obj);
  const keys = path.split('.');
  const parent = keys.slice(0, -1).reduce((o, k) => o[k] as Json, copy);
  Object.defineProperty(parent, keys.at(-1)!, { value, enumerable: true, writable: true });
  return copy;
}

const typeOf = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as string);

const nulCases = Object.entries(BODIES).flatMap(([name, b]) =>
  fields(b.base)
    .filter(([, v]) => typeof v === 'string')
    .flatMap(([f]) => [
      [name, f, 'NUL', 'ab\u0000c'],
      [name, f, 'a lone surrogate', 'ab\ud800c'],
    ]),
) as Array<[string, string, string, string]>;

const wrongTypeCases = Object.entries(BODIES).flatMap(([name, b]) =>
  fields(b.base).flatMap(([f, v]) =>
    WRONG_TYPES.filter(([t]) => t !== typeOf(v)).map(([t, wrong]) => [name, f, t, wrong]),
  ),
) as Array<[string, string, string, unknown]>;

const prototypeKeyCases = Object.entries(BODIES).flatMap(([name, b]) =>
  ['', ...fields(b.base).flatMap(([f, v]) => (typeOf(v) === 'object' ? [`${f}.`] : []))].flatMap(
    (at) => PROTOTYPE_KEYS.map((key) => [name, `${at}${key}`]),
  ),
) as Array<[string, string]>;

const deep = (depth: number, kind: 'array' | 'object') =>
  kind === 'array'
    ? '['.repeat(depth) + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const depthCases = Object.keys(BODIES).flatMap((name) =>
  [10_000, 100_000].flatMap((depth) =>
    (['array', 'object'] as const).flatMap((kind) => [
      [name, depth, kind, 'as the body'],
      [name, depth, kind, 'as a field'],
    ]),
  ),
) as Array<[string, number, 'array' | 'object', string]>;

describe('hostile input: always a 4xx with the error body, nothing written', () => {
  const ctx = useAppOnFreshDatabase({
    REDIS_URL: TEST_REDIS_URL,
    SESSION_NAMESPACE: testNamespace(),
    SESSION_NEW_PER_MINUTE: '0',
    LOGIN_MAX_ATTEMPTS_PER_USER: '100000',
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '100000',
  });
  let before: unknown;
  const written = async () =>
    ctx.db.query(`SELECT (SELECT count(*) FROM orders.orders) AS orders,
                         (SELECT sum(quantity) FROM inventory.stock) AS stock`);

  const send = (b: Body, raw: string) =>
    ctx.http()[b.method](b.path).set('Content-Type', 'application/json').send(raw);

  function expectRejected(res: { status: number; body: Json }, path: string): void {
    expect({ status: res.status, body: res.body }).toMatchObject({
      status: 400,
      body: { status: 400, error: 'Bad Request', message: expect.any(String), path },
    });
    expect(res.body.timestamp).toEqual(expect.any(String));
  }

  beforeAll(async () => {
    // Each base body passes validation (the order one places an order): a case that
    // slipped through would not be a 400, and an order that slipped through would write.
    for (const b of Object.values(BODIES)) {
      const res = await send(b, JSON.stringify(b.base));
      expect([b.path, res.status]).toEqual([b.path, b === ORDER ? 201 : expect.any(Number)]);
      expect(res.status).not.toBe(400);
      expect(res.status).toBeLessThan(500);
    }
    before = await written();
  });

  it.each(nulCases)('%s: %s with %s → 400', async (name, field, _what, value) => {
    const b = BODIES[name];
    expectRejected(await send(b, JSON.stringify(replaced(b.base, field, value))), b.path);
  });

  it.each(wrongTypeCases)('%s: %s as %s → 400', async (name, field, _type, value) => {
    const b = BODIES[name];
    expectRejected(await send(b, JSON.stringify(replaced(b.base, field, value))), b.path);
  });

  it.each(prototypeKeyCases)('%s: unknown key %s → 400', async (name, field) => {
    const b = BODIES[name];
    expectRejected(await send(b, JSON.stringify(replaced(b.base, field, 1))), b.path);
  });

  it.each(depthCases)('%s: %d-deep %s %s → 400', async (name, depth, kind, where) => {
    const b = BODIES[name];
    const nested = deep(depth, kind);
    const field = Object.keys(b.base)[0];
    const raw = where === 'as the body' ? nested : `{"${field}":${nested}}`;
    expectRejected(await send(b, raw), b.path);
  });

  it('400s a body that is not UTF-8', async () => {
    const raw = Buffer.concat([
      Buffer.from('{"code":"P1'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('","quantity":1}'),
    ]);
    expectRejected(await send(BODIES['cart add'], raw as unknown as string), '/api/cart/items');
  });

  it.each([
    ['get', '/api/products/P100%00'],
    ['get', '/api/products/P100%ED%A0%80'],
    ['get', '/api/products/%FF'],
    ['put', '/api/cart/items/P100%00'],
    ['delete', '/api/cart/items/P100%00'],
    ['get', '/api/orders/00000000-0000-0000-0000-000000000000%00'],
    ['get', '/api/products?page=1%00'],
    ['get', '/api/orders?page=1&pageSize=1%00'],
    ['get', '/api/products?page%00=1'],
  ] as const)('%s %s → 400', async (method, url) => {
    const res = await ctx
      .http()
      [method](url)
      .send(method === 'put' ? { quantity: 1 } : undefined);
    expectRejected(res, url.split('?')[0]);
  });

  it('wrote nothing: order count and stock unchanged', async () => {
    expect(await written()).toEqual(before);
  });
});
