import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIV3 } from 'openapi-types';
import type { Response, Test } from 'supertest';
import { startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { openApiProblem } from '../support/openapi';
import { TEST_REDIS_URL, testNamespace } from '../support/redis';
import { sessionCookie } from '../support/session-app';
import { TcpProxy } from '../support/tcp-proxy';
import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** Routes served but deliberately left out of the document, and why. */
const UNDOCUMENTED = new Set([
  'GET /metrics', // Prometheus text for scrapers (README), not part of the API
  'GET /api-docs', // the document itself
  'GET /', // the storefront's page (HTML, README "Storefront"), not part of the API
]);
/** Served by the Swagger UI and Express's catch-all 404: not API routes. */
const NOT_ROUTES = /^\S+ (\/swagger-ui|\/\{\*path\})/;

const customer = { name: 'Ada', email: 'ada@example.com', phone: '123' };
const orderBody = (item = { code: 'P100', quantity: 1 }) => ({
  customer,
  deliveryAddress: '1 Main St',
  item,
});

type Agent = ReturnType<typeof request>;
interface World {
  http: Agent;
  /** A fresh anonymous session whose cart holds one P101; its cookie header. */
  cart(): Promise<string>;
  /** A fresh session with one placed order (not cancelled): its cookie and order number. */
  order(): Promise<{ cookie: string; orderNumber: string }>;
  /** A session logged in as alice. */
  alice(): Promise<string>;
}
type Row = [operation: string, status: number, send: (w: World) => PromiseLike<Response>];

const SOME_SESSION = `BOOKSTORE_SESSION=${'A'.repeat(43)}`;

/** Every documented operation × every status it documents: the request that gets it. */
const TABLE: Row[] = [
  ['GET /health/live', 200, (w) => w.http.get('/health/live')],
  ['GET /health/ready', 200, (w) => w.http.get('/health/ready')],
  ['GET /api/products', 200, (w) => w.http.get('/api/products?page=2')],
  ['GET /api/products', 400, (w) => w.http.get('/api/products?page=0')],
  ['GET /api/products/recently-viewed', 200, (w) => w.http.get('/api/products/recently-viewed')],
  ['GET /api/products/{code}', 200, (w) => w.http.get('/api/products/P100')],
  ['GET /api/products/{code}', 404, (w) => w.http.get('/api/products/NOPE')],
  ['GET /api/cart', 200, async (w) => w.http.get('/api/cart').set('Cookie', await w.cart())],
  ['DELETE /api/cart', 204, async (w) => w.http.delete('/api/cart').set('Cookie', await w.cart())],
  [
    'POST /api/cart/items',
    201,
    (w) => w.http.post('/api/cart/items').send({ code: 'P100', quantity: 2 }),
  ],
  [
    'POST /api/cart/items',
    400,
    (w) => w.http.post('/api/cart/items').send({ code: 'P100', quantity: 0 }),
  ],
  [
    'POST /api/cart/items',
    404,
    (w) => w.http.post('/api/cart/items').send({ code: 'NOPE', quantity: 1 }),
  ],
  [
    'PUT /api/cart/items/{code}',
    200,
    async (w) =>
      w.http
        .put('/api/cart/items/P101')
        .set('Cookie', await w.cart())
        .send({ quantity: 3 }),
  ],
  [
    'PUT /api/cart/items/{code}',
    400,
    async (w) =>
      w.http
        .put('/api/cart/items/P101')
        .set('Cookie', await w.cart())
        .send({ quantity: 100 }),
  ],
  [
    'PUT /api/cart/items/{code}',
    404,
    async (w) =>
      w.http
        .put('/api/cart/items/P102')
        .set('Cookie', await w.cart())
        .send({ quantity: 1 }),
  ],
  [
    'DELETE /api/cart/items/{code}',
    200,
    async (w) => w.http.delete('/api/cart/items/P101').set('Cookie', await w.cart()),
  ],
  [
    'DELETE /api/cart/items/{code}',
    404,
    async (w) => w.http.delete('/api/cart/items/P102').set('Cookie', await w.cart()),
  ],
  ['POST /api/orders', 201, (w) => w.http.post('/api/orders').send(orderBody())],
  [
    'POST /api/orders',
    400,
    (w) => w.http.post('/api/orders').send({ customer, deliveryAddress: 'x' }),
  ],
  [
    'POST /api/orders',
    404,
    (w) => w.http.post('/api/orders').send(orderBody({ code: 'NOPE', quantity: 1 })),
  ],
  [
    'POST /api/orders',
    409,
    (w) => w.http.post('/api/orders').send(orderBody({ code: 'P114', quantity: 99 })),
  ],
  [
    'POST /api/orders',
    422,
    async (w) => {
      const first = await w.http.post('/api/orders').set('Idempotency-Key', 'k1').send(orderBody());
      return w.http
        .post('/api/orders')
        .set('Cookie', `BOOKSTORE_SESSION=${sessionCookie(first)!}`)
        .set('Idempotency-Key', 'k1')
        .send(orderBody({ code: 'P101', quantity: 1 }));
    },
  ],
  [
    'GET /api/orders',
    200,
    async (w) => w.http.get('/api/orders').set('Cookie', (await w.order()).cookie),
  ],
  ['GET /api/orders', 400, (w) => w.http.get('/api/orders?pageSize=101')],
  [
    'GET /api/orders/{orderNumber}',
    200,
    async (w) => {
      const { cookie, orderNumber } = await w.order();
      return w.http.get(`/api/orders/${orderNumber}`).set('Cookie', cookie);
    },
  ],
  [
    'GET /api/orders/{orderNumber}',
    404,
    async (w) => w.http.get(`/api/orders/${(await w.order()).orderNumber}`),
  ],
  [
    'POST /api/orders/{orderNumber}/cancel',
    200,
    async (w) => {
      const { cookie, orderNumber } = await w.order();
      return w.http.post(`/api/orders/${orderNumber}/cancel`).set('Cookie', cookie);
    },
  ],
  [
    'POST /api/orders/{orderNumber}/cancel',
    404,
    async (w) => w.http.post(`/api/orders/${(await w.order()).orderNumber}/cancel`),
  ],
  [
    'POST /api/orders/{orderNumber}/cancel',
    409,
    async (w) => {
      const { cookie, orderNumber } = await w.order();
      await w.http.post(`/api/orders/${orderNumber}/cancel`).set('Cookie', cookie).expect(200);
      return w.http.post(`/api/orders/${orderNumber}/cancel`).set('Cookie', cookie);
    },
  ],
  [
    'POST /api/auth/login',
    200,
    (w) => w.http.post('/api/auth/login').send({ username: 'bob', password: 'bob-secret-2' }),
  ],
  [
    'POST /api/auth/login',
    401,
    (w) => w.http.post('/api/auth/login').send({ username: 'bob', password: 'wrong-one' }),
  ],
  [
    'POST /api/auth/login',
    429,
    async (w) => {
      for (let i = 0; i < 5; i++) {
        await w.http
          .post('/api/auth/login')
          .send({ username: 'carol', password: 'wrong-one' })
          .expect(401);
      }
      return w.http.post('/api/auth/login').send({ username: 'carol', password: 'wrong-one' });
    },
  ],
  [
    'POST /api/auth/logout',
    204,
    async (w) => w.http.post('/api/auth/logout').set('Cookie', await w.alice()),
  ],
  [
    'POST /api/auth/logout-all',
    204,
    async (w) => w.http.post('/api/auth/logout-all').set('Cookie', await w.alice()),
  ],
  ['POST /api/auth/logout-all', 401, (w) => w.http.post('/api/auth/logout-all')],
  ['GET /api/auth/me', 200, async (w) => w.http.get('/api/auth/me').set('Cookie', await w.alice())],
  ['GET /api/auth/me', 401, (w) => w.http.get('/api/auth/me')],
  [
    'GET /api/auth/sessions',
    200,
    async (w) => w.http.get('/api/auth/sessions').set('Cookie', await w.alice()),
  ],
  ['GET /api/auth/sessions', 401, (w) => w.http.get('/api/auth/sessions')],
  [
    'DELETE /api/auth/sessions/{handle}',
    204,
    async (w) => {
      const cookie = await w.alice();
      const listed = await w.http.get('/api/auth/sessions').set('Cookie', cookie);
      const own = (listed.body as Array<{ handle: string; current: boolean }>).find(
        (s) => s.current,
      );
      return w.http.delete(`/api/auth/sessions/${own?.handle}`).set('Cookie', cookie);
    },
  ],
  ['DELETE /api/auth/sessions/{handle}', 401, (w) => w.http.delete('/api/auth/sessions/nope')],
  [
    'DELETE /api/auth/sessions/{handle}',
    404,
    async (w) => w.http.delete('/api/auth/sessions/nope').set('Cookie', await w.alice()),
  ],
  ['GET /api/products/{code}/cover', 200, (w) => w.http.get('/api/products/P100/cover')],
  ['GET /api/products/{code}/cover', 404, (w) => w.http.get('/api/products/NOPE/cover')],
];

/** With the session store unreachable: what a session-bound route documents as 503. */
const OUTAGE: Row[] = [
  ['GET /health/ready', 503, (w) => w.http.get('/health/ready')],
  ...[
    'GET /api/cart',
    'DELETE /api/cart',
    'POST /api/cart/items',
    'PUT /api/cart/items/{code}',
    'DELETE /api/cart/items/{code}',
    'POST /api/orders',
    'GET /api/orders',
    'GET /api/orders/{orderNumber}',
    'POST /api/orders/{orderNumber}/cancel',
  ].map((operation): Row => [
    operation,
    503,
    (w) => send(w.http, operation).set('Cookie', SOME_SESSION),
  ]),
];

/** The operation's path with sample parameters, and a valid body where it takes one. */
function send(http: Agent, operation: string): Test {
  const [method, template] = operation.split(' ');
  const path = template
    .replace('{code}', 'P101')
    .replace('{orderNumber}', '00000000-0000-4000-8000-000000000000');
  const req = http[method.toLowerCase() as 'get'](path);
  if (method === 'GET' || method === 'DELETE') return req;
  return req.send(path.startsWith('/api/cart') ? { code: 'P101', quantity: 1 } : orderBody());
}

describe('OpenAPI contract (/api-docs)', () => {
  const redis = new TcpProxy(TEST_REDIS_URL);
  let db: TestDatabase;
  let app: NestExpressApplication;
  let doc: OpenAPIV3.Document;
  let world: World;

  beforeAll(async () => {
    await redis.start();
    db = await createTestDatabase();
    app = await startApp({
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      SESSION_NAMESPACE: testNamespace(),
      SESSION_NEW_PER_MINUTE: '0',
    });
    const http = request(app.getHttpServer());
    await db.query("UPDATE inventory.stock SET quantity = 1 WHERE product_code = 'P114'");
    world = {
      http,
      async cart() {
        const res = await http
          .post('/api/cart/items')
          .send({ code: 'P101', quantity: 1 })
          .expect(201);
        return `BOOKSTORE_SESSION=${sessionCookie(res)!}`;
      },
      async order() {
        const res = await http.post('/api/orders').send(orderBody()).expect(201);
        return {
          cookie: `BOOKSTORE_SESSION=${sessionCookie(res)!}`,
          orderNumber: res.body.orderNumber,
        };
      },
      async alice() {
        const res = await http
          .post('/api/auth/login')
          .send({ username: 'alice', password: 'alice-secret-1' })
          .expect(200);
        return `BOOKSTORE_SESSION=${sessionCookie(res)!}`;
      },
    };
    doc = (await http.get('/api-docs').expect(200)).body;
  });

  afterAll(async () => {
    await app?.close();
    await redis.stop();
    await db?.drop();
  });

  it('is a valid OpenAPI document', () => {
    expect(openApiProblem(doc)).toBeUndefined();
  });

  it('fails the validator on a broken document (the check can fail)', () => {
    const broken = structuredClone(doc);
    (broken.paths['/api/cart']!.get!.responses['200'] as OpenAPIV3.ResponseObject).content = {
      'application/json': { schema: { $ref: '#/components/schemas/Nope' } },
    };
    expect(openApiProblem(broken)).toContain('Nope');
  });

  it('documents every route the app serves, and only those', () => {
    const served = routes(app).filter((r) => !NOT_ROUTES.test(r) && !UNDOCUMENTED.has(r));
    expect(served.sort()).toEqual(operations(doc).sort());
  });

  it('has a request below for every documented status of every operation', () => {
    const documented = operations(doc).flatMap((op) =>
      Object.keys(operation(doc, op).responses).map((status) => `${op} ${status}`),
    );
    const covered = [...TABLE, ...OUTAGE].map(([op, status]) => `${op} ${status}`);
    expect([...new Set(covered)].sort()).toEqual(documented.sort());
  });

  it('answers each request of the table with its status and documented body', async () => {
    const check = checker(doc);
    for (const row of TABLE) check(row[0], row[1], await row[2](world));
    await redis.stop();
    for (const row of OUTAGE) check(row[0], row[1], await row[2](world));
  });
});

/** Express's routes as `METHOD /path/{param}`. */
function routes(app: NestExpressApplication): string[] {
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router;
  return router.stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map(
          (m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`,
        )
      : [],
  );
}
interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

function operations(doc: OpenAPIV3.Document): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item!)
      .filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

function operation(doc: OpenAPIV3.Document, op: string): OpenAPIV3.OperationObject {
  const [method, path] = op.split(' ');
  return (doc.paths[path] as Record<string, OpenAPIV3.OperationObject>)[method.toLowerCase()];
}

/** Asserts a response's status and validates its JSON body against the documented schema. */
function checker(doc: OpenAPIV3.Document) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // The document's components under its own id, so that "#/components/..." refs resolve.
  ajv.addSchema(closed({ components: doc.components }), 'openapi.json');
  return (op: string, status: number, res: Response) => {
    expect(`${op} → ${res.status}`).toBe(`${op} → ${status}`);
    const documented = operation(doc, op).responses[status] as OpenAPIV3.ResponseObject;
    const schema = documented.content?.['application/json']?.schema;
    if (!schema) return;
    const validate = ajv.compile(withRefsTo('openapi.json', closed(schema)));
    const errors = validate(res.body) ? [] : validate.errors;
    expect({ op, status, errors }).toEqual({ op, status, errors: [] });
  };
}

/** The schema with no properties beyond those documented: an undocumented field fails too. */
function closed(schema: unknown): object {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema as object;
  const copy = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]));
  return 'properties' in copy ? { additionalProperties: false, ...copy } : copy;
}

function withRefsTo(id: string, schema: object): object {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#/g, `"$ref":"${id}#`)) as object;
}
