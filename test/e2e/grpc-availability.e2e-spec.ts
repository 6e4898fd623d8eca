import { ServiceError, status } from '@grpc/grpc-js';
import { OrdersGrpcClient } from '../../src/modules/orders/grpc/orders-grpc.client';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import {
  failure,
  GRPC_TEST_TOKEN as TOKEN,
  ordersWithKey as withKey,
  startGrpcApp,
  watchHealth,
} from '../support/grpc';
import { pollUntil } from '../support/ports';
import { TEST_REDIS_URL } from '../support/redis';
import { TcpProxy } from '../support/tcp-proxy';

const request = (key: string) => ({
  customer: { name: 'Ada', email: 'ada@example.com', phone: '123' },
  delivery_address: '1 Main St',
  lines: [{ code: 'P110', quantity: 1 }],
  idempotency_key: key,
});

/** The gRPC API when its dependencies, or the server itself, go away — and come back. */
describe('gRPC orders API: availability', () => {
  let db: TestDatabase;
  let pg: TcpProxy;
  let redis: TcpProxy;
  let app: AppProcess | undefined;
  let env: Record<string, string>;
  let address: string;
  /** The reference client: 5 s deadline, retries with backoff on UNAVAILABLE. */
  let client: OrdersGrpcClient;
  /** One attempt only: sees each UNAVAILABLE. */
  let once: OrdersGrpcClient;

  const ordersWithKey = (key: string) => withKey(db, key);
  const health = async () => (await once.call<{ status: string }>('Check', { service: '' })).status;
  const healthBecomes = (wanted: string) =>
    pollUntil(`gRPC health ${wanted}`, async () => (await health()) === wanted, {
      timeoutMs: 30_000,
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new TcpProxy(db.url);
    redis = new TcpProxy(TEST_REDIS_URL);
    await Promise.all([pg.start(), redis.start()]);
    const started = await startGrpcApp({
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      DATABASE_QUERY_TIMEOUT_MS: '3000',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
    });
    ({ app, address, env } = started);
    client = new OrdersGrpcClient(address, TOKEN);
    once = new OrdersGrpcClient(address, TOKEN, { attempts: 1 });
    await healthBecomes('SERVING');
  });

  afterAll(async () => {
    client?.close();
    once?.close();
    await app?.stop();
    await Promise.all([pg?.stop(), redis?.stop()]);
    await db?.drop();
  });

  it('UNAVAILABLE while Postgres is down, nothing written; health NOT_SERVING; both recover', async () => {
    await pg.stop();
    try {
      const err = await failure(once.call('CreateOrder', request('db-down-1')));
      expect(err.code).toBe(status.UNAVAILABLE);
      expect((await failure(once.call('ListOrders', {}))).code).toBe(status.UNAVAILABLE);
      await healthBecomes('NOT_SERVING');
    } finally {
      await pg.start();
    }
    await healthBecomes('SERVING');
    expect(await ordersWithKey('db-down-1')).toBe(0);
    await client.call('CreateOrder', request('db-down-1'));
    expect(await ordersWithKey('db-down-1')).toBe(1);
  });

  it('health is NOT_SERVING while the session store is down, as /health/ready is', async () => {
    await redis.stop();
    try {
      await healthBecomes('NOT_SERVING');
      const ready = await fetch(`${app!.url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
      expect(ready.status).toBe(503);
    } finally {
      await redis.start();
    }
    await healthBecomes('SERVING');
  });

  it('a retry on UNAVAILABLE across a server restart makes exactly one order', async () => {
    const first = await client.call<{ order_number: string }>('CreateOrder', request('restart-1'));
    // A Watch never ends by itself: the server's drain must not wait on it for ever.
    const watch = watchHealth(address);
    await pollUntil(
      'the watch to see SERVING',
      () => Promise.resolve(watch.statuses.includes('SERVING')),
      {
        timeoutMs: 10_000,
      },
    );
    expect(await app!.stop()).toBe(0);
    await watch.ended;
    expect(watch.statuses.at(-1)).toBe('NOT_SERVING');
    expect((await failure(once.call('CreateOrder', request('restart-1')))).code).toBe(
      status.UNAVAILABLE,
    );
    // Patient callers, as a restart is slower than five attempts: at most ~2 minutes.
    const patient = new OrdersGrpcClient(address, TOKEN, { attempts: 60 });
    try {
      const retried = patient.call<{ order_number: string }>('CreateOrder', request('restart-1'));
      const fresh = patient.call<{ order_number: string }>('CreateOrder', request('restart-2'));
      app = await startAppProcess(env);
      expect((await retried).order_number).toBe(first.order_number);
      await fresh;
      // The same order again (fulfilment may have moved it NEW → IN_PROCESS meanwhile).
      const again = await patient.call<{ order_number: string }>(
        'CreateOrder',
        request('restart-2'),
      );
      expect(again.order_number).toBe((await fresh).order_number);
    } finally {
      patient.close();
    }
    expect([await ordersWithKey('restart-1'), await ordersWithKey('restart-2')]).toEqual([1, 1]);
  });
});

describe('gRPC orders API: rate limit', () => {
  let db: TestDatabase;
  let app: AppProcess;
  let client: OrdersGrpcClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    let address: string;
    ({ app, address } = await startGrpcApp({ DATABASE_URL: db.url, GRPC_RATE_LIMIT: '1' }));
    client = new OrdersGrpcClient(address, TOKEN, { attempts: 1 });
  });

  afterAll(async () => {
    client?.close();
    await app?.stop();
    await db?.drop();
  });

  it('RESOURCE_EXHAUSTED beyond GRPC_RATE_LIMIT calls per second from one address', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        client.call('ListOrders', {}).then(
          () => status.OK,
          (err: ServiceError) => err.code,
        ),
      ),
    );
    expect(results).toContain(status.OK);
    expect(results).toContain(status.RESOURCE_EXHAUSTED);
    expect(results.filter((c) => c !== status.OK && c !== status.RESOURCE_EXHAUSTED)).toEqual([]);
    // The bucket refills: calls are served again.
    await pollUntil(
      'a call to be served again',
      () => client.call('ListOrders', {}).then(() => true),
      {
        timeoutMs: 10_000,
        intervalMs: 500,
      },
    );
  });
});
