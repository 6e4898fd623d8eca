import { status } from '@grpc/grpc-js';
import { fieldViolationsOf } from '../../src/platform/grpc/field-violations';
import { OrdersGrpcClient } from '../../src/modules/orders/grpc/orders-grpc.client';
import { AppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import {
  failure,
  GRPC_TEST_TOKEN as TOKEN,
  lockingTransaction,
  ordersWithKey as withKey,
  reflect,
  startGrpcApp,
} from '../support/grpc';
import { pollUntil } from '../support/ports';
const SERVICE = 'bookstore.orders.v1.OrdersService';

interface OrderReply {
  order_number: string;
  status: string;
  lines: Array<{ code: string; name: string; price_cents: number; quantity: number }>;
  total_cents: number;
  customer: { email: string };
}

const request = (key: string, lines: Array<[string, number]>, email = 'ada@example.com') => ({
  customer: { name: 'Ada', email, phone: '123' },
  delivery_address: '1 Main St',
  lines: lines.map(([code, quantity]) => ({ code, quantity })),
  idempotency_key: key,
});

/** The orders API over gRPC against a running app on Postgres and Redis, with a real client. */
describe('gRPC orders API', () => {
  let db: TestDatabase;
  let app: AppProcess;
  let address: string;
  let client: OrdersGrpcClient;

  const stock = async (code: string) =>
    (
      await db.query<{ quantity: number }>(
        'SELECT quantity FROM inventory.stock WHERE product_code = $1',
        [code],
      )
    )[0].quantity;
  const ordersWithKey = (key: string) => withKey(db, key);
  /** Rows of everything an order writes, to show a failed call wrote none of it. */
  const written = () =>
    db.query(`SELECT (SELECT count(*) FROM orders.orders) AS orders,
                     (SELECT count(*) FROM orders.order_lines) AS lines,
                     (SELECT count(*) FROM events.outbox) AS events,
                     (SELECT sum(quantity) FROM inventory.stock) AS stock`);

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, address } = await startGrpcApp({ DATABASE_URL: db.url }));
    client = new OrdersGrpcClient(address, TOKEN);
  });

  afterAll(async () => {
    client?.close();
    await app?.stop();
    await db?.drop();
  });

  it('reports health as /health/ready does, and describes itself by reflection', async () => {
    await pollUntil(
      'gRPC health to report SERVING',
      async () =>
        (await client.call<{ status: string }>('Check', { service: '' })).status === 'SERVING',
      { timeoutMs: 30_000 },
    );
    expect(await client.call('Check', { service: SERVICE })).toEqual({ status: 'SERVING' });
    const unknown = await failure(client.call('Check', { service: 'no.such.Service' }));
    expect(unknown.code).toBe(status.NOT_FOUND);

    const { services, describes } = await reflect(address, `${SERVICE}.CreateOrder`);
    expect(services).toEqual(expect.arrayContaining([SERVICE, 'grpc.health.v1.Health']));
    expect(describes).toBe(true);
  });

  it('creates an order priced from the catalog, once per idempotency key', async () => {
    const [p100, p101] = [await stock('P100'), await stock('P101')];
    const first = await client.call<OrderReply>(
      'CreateOrder',
      request('create-1', [
        ['P100', 2],
        ['P101', 1],
      ]),
    );
    expect(first).toMatchObject({
      status: expect.stringMatching(/^ORDER_STATUS_(NEW|IN_PROCESS)$/), // fulfilment may be quick
      lines: [
        { code: 'P100', name: 'The Hunger Games', price_cents: 3400, quantity: 2 },
        { code: 'P101', name: 'To Kill a Mockingbird', price_cents: 4540, quantity: 1 },
      ],
      total_cents: 2 * 3400 + 4540,
    });
    const again = await client.call<OrderReply>(
      'CreateOrder',
      request('create-1', [
        ['P100', 2],
        ['P101', 1],
      ]),
    );
    expect(again.order_number).toBe(first.order_number);
    // The same request sent 8 times at once (a client retrying in parallel): one order.
    const twins = await Promise.all(
      Array.from({ length: 8 }, () =>
        client.call<OrderReply>('CreateOrder', request('create-2', [['P100', 1]])),
      ),
    );
    expect(new Set(twins.map((t) => t.order_number)).size).toBe(1);
    expect([await ordersWithKey('create-1'), await ordersWithKey('create-2')]).toEqual([1, 1]);
    expect([await stock('P100'), await stock('P101')]).toEqual([p100 - 3, p101 - 1]);
  });

  it('gets an order, and lists orders newest first, paged and by customer email', async () => {
    const mine = [];
    for (const key of ['list-1', 'list-2', 'list-3']) {
      mine.push(
        await client.call<OrderReply>('CreateOrder', request(key, [['P102', 1]], 'bo@example.com')),
      );
    }
    const got = await client.call<OrderReply>('GetOrder', { order_number: mine[0].order_number });
    // Fulfilment may have moved it on since: NEW → IN_PROCESS; the rest is as placed.
    expect(['ORDER_STATUS_NEW', 'ORDER_STATUS_IN_PROCESS']).toContain(got.status);
    expect({ ...got, status: mine[0].status }).toEqual(mine[0]);

    const page = await client.call<Record<string, unknown>>('ListOrders', {
      customer_email: 'BO@example.com',
      page: 2,
      page_size: 2,
    });
    expect(page).toMatchObject({
      orders: [{ order_number: mine[0].order_number, customer: { email: 'bo@example.com' } }],
      total_elements: 3,
      page_number: 2,
      total_pages: 2,
      has_next: false,
      has_previous: true,
    });
    const all = await client.call<{ orders: OrderReply[]; total_elements: number }>(
      'ListOrders',
      {},
    );
    expect(all.orders[0].order_number).toBe(mine[2].order_number);
    expect(all.total_elements).toBe(
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders.orders'))[0].n,
    );
  });

  it("cancels any customer's order with CancelOrder, stock returned; a second cancel fails", async () => {
    const stock = async () =>
      (
        await db.query<{ n: number }>(
          "SELECT quantity AS n FROM inventory.stock WHERE product_code = 'P103'",
        )
      )[0].n;
    const before = await stock();
    const order = await client.call<OrderReply>('CreateOrder', request('cancel-1', [['P103', 2]]));
    expect(await stock()).toBe(before - 2);
    const cancelled = await client.call<OrderReply>('CancelOrder', {
      order_number: order.order_number,
    });
    expect(cancelled.status).toBe('ORDER_STATUS_CANCELLED');
    expect(await stock()).toBe(before);
    const again = await failure(client.call('CancelOrder', { order_number: order.order_number }));
    expect(again.code).toBe(status.FAILED_PRECONDITION);
    const unknown = await failure(
      client.call('CancelOrder', { order_number: '00000000-0000-4000-8000-000000000002' }),
    );
    expect(unknown.code).toBe(status.NOT_FOUND);
  });

  describe('error table', () => {
    it('NOT_FOUND: an unknown order or product, nothing written', async () => {
      const before = await written();
      const order = await failure(
        client.call('GetOrder', { order_number: '00000000-0000-4000-8000-000000000001' }),
      );
      const product = await failure(client.call('CreateOrder', request('nf-1', [['P999', 1]])));
      expect([order.code, product.code]).toEqual([status.NOT_FOUND, status.NOT_FOUND]);
      expect(product.details).toContain('P999');
      expect(await written()).toEqual(before);
    });

    it('FAILED_PRECONDITION: out of stock, nothing written', async () => {
      await db.query("UPDATE inventory.stock SET quantity = 1 WHERE product_code = 'P105'");
      const before = await written();
      const err = await failure(
        client.call(
          'CreateOrder',
          request('oos-1', [
            ['P104', 1],
            ['P105', 2],
          ]),
        ),
      );
      expect(err.code).toBe(status.FAILED_PRECONDITION);
      expect(err.details).toContain('P105');
      expect(await written()).toEqual(before);
    });

    it('ALREADY_EXISTS: an idempotency key reused with another request', async () => {
      await client.call('CreateOrder', request('reuse-1', [['P106', 1]]));
      const err = await failure(client.call('CreateOrder', request('reuse-1', [['P106', 2]])));
      expect(err.code).toBe(status.ALREADY_EXISTS);
      expect(await ordersWithKey('reuse-1')).toBe(1);
    });

    it('INVALID_ARGUMENT: every bad field named in the standard details', async () => {
      const before = await written();
      const bad = {
        customer: { name: ' ', email: 'not-an-email', phone: '1' },
        delivery_address: 'x\u0000y',
        lines: [
          { code: 'P100', quantity: 1 },
          { code: 'P101', quantity: 100 },
        ],
        idempotency_key: '',
      };
      const err = await failure(client.call('CreateOrder', bad));
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(
        fieldViolationsOf(err.metadata)
          .map((v) => v.field)
          .sort(),
      ).toEqual([
        'customer.email',
        'customer.name',
        'delivery_address',
        'idempotency_key',
        'lines[1].quantity',
      ]);
      const noLines = await failure(client.call('CreateOrder', { ...request('x', []) }));
      expect(fieldViolationsOf(noLines.metadata)).toEqual([
        { field: 'lines', description: 'must have at least 1 line' },
      ]);
      const noCustomer = await failure(client.call('CreateOrder', { lines: [{ code: 'P100' }] }));
      expect(fieldViolationsOf(noCustomer.metadata)).toEqual([
        { field: 'customer', description: 'is required' },
        { field: 'delivery_address', description: 'must not be blank' },
        { field: 'lines[0].quantity', description: 'must be an integer from 1 to 99' },
        {
          field: 'idempotency_key',
          description: 'is required: 1 to 100 printable ASCII characters',
        },
      ]);
      const paging = await failure(client.call('ListOrders', { page_size: 101 }));
      expect(fieldViolationsOf(paging.metadata).map((v) => v.field)).toEqual(['page_size']);
      const number = await failure(client.call('GetOrder', { order_number: 'P100' }));
      expect(fieldViolationsOf(number.metadata).map((v) => v.field)).toEqual(['order_number']);
      expect(await written()).toEqual(before);
    });

    it('UNAUTHENTICATED: a missing or wrong token, before anything is read', async () => {
      for (const token of ['', 'wrong-token-0123456789', `${TOKEN}x`]) {
        const other = new OrdersGrpcClient(address, token);
        const err = await failure(other.call('ListOrders', {}));
        other.close();
        expect(err.code).toBe(status.UNAUTHENTICATED);
      }
    });

    it('ABORTED: the database aborted the transaction for a concurrent one (deadlock)', async () => {
      const before = await written();
      const tx = await lockingTransaction(db.url);
      try {
        await tx.lock('P108');
        // The order locks P107, then waits for P108; the test then waits for P107: a cycle.
        const call = failure(
          client.call(
            'CreateOrder',
            request('aborted-1', [
              ['P107', 1],
              ['P108', 1],
            ]),
          ),
        );
        await waitForAppToWaitOnALock();
        const ours = tx.lock('P107');
        const err = await call;
        await ours;
        expect(err.code).toBe(status.ABORTED);
      } finally {
        await tx.release();
      }
      expect(await written()).toEqual(before);
      await client.call(
        'CreateOrder',
        request('aborted-1', [
          ['P107', 1],
          ['P108', 1],
        ]),
      );
      expect(await ordersWithKey('aborted-1')).toBe(1);
    });

    it('DEADLINE_EXCEEDED: a deadline that passes mid-call leaves nothing written', async () => {
      const before = await written();
      const impatient = new OrdersGrpcClient(address, TOKEN, { deadlineMs: 1_500, attempts: 1 });
      const tx = await lockingTransaction(db.url);
      try {
        await tx.lock('P109');
        const err = await failure(impatient.call('CreateOrder', request('late-1', [['P109', 1]])));
        expect(err.code).toBe(status.DEADLINE_EXCEEDED);
      } finally {
        impatient.close();
        // The app's statement now goes on, and the app rolls back: its caller has gone.
        await tx.release();
      }
      await app.outputWith('CreateOrder abandoned');
      expect(await written()).toEqual(before);
      await client.call('CreateOrder', request('late-1', [['P109', 1]]));
      expect(await ordersWithKey('late-1')).toBe(1);
    });
  });

  async function waitForAppToWaitOnALock(): Promise<void> {
    await pollUntil(
      'the order to wait on a row lock',
      async () =>
        (
          await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        )[0].n > 0,
      { timeoutMs: 30_000 },
    );
  }
});
