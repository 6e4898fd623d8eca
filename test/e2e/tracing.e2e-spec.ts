import { randomBytes } from 'node:crypto';
import { OrdersGrpcClient } from '../../src/modules/orders/grpc/orders-grpc.client';
import { AppProcess, appEnvOn, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { waitFor } from '../support/http';
import { freePort } from '../support/ports';
import { OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver';
import { testExchange, TestExchange, TEST_RABBITMQ_URL } from '../support/rabbitmq';

const SERVER = 2;
const PRODUCER = 4;

/**
 * OpenTelemetry on the built app (the SDK patches modules as they load, which jest's own
 * module loader would bypass): one POST /api/orders gives one trace, from the incoming
 * traceparent to the broker message's headers.
 */
describe('tracing', () => {
  let db: TestDatabase;
  let broker: TestExchange;
  let app: AppProcess;
  let grpcPort: number;
  const receiver = new OtlpReceiver();

  beforeAll(async () => {
    [db, broker] = await Promise.all([createTestDatabase(), testExchange('orders.created')]);
    grpcPort = await freePort();
    app = await startAppProcess(
      {
        GRPC_PORT: String(grpcPort),
        GRPC_TOKEN: 'tracing-grpc-token-0123456789',
        ...appEnvOn(db),
        SESSION_KEYSPACE_EVENTS: 'off',
        RABBITMQ_URL: TEST_RABBITMQ_URL,
        ...broker.appEnv,
        OTEL_EXPORTER_OTLP_ENDPOINT: await receiver.start(),
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: 'bookstore-under-test',
      },
      90_000, // loading the SDK adds seconds to a start on a busy machine
    );
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await receiver.stop();
    await broker?.close();
    await db?.drop();
  });

  const json = { 'Content-Type': 'application/json' };

  it('follows an order from the incoming traceparent to the published message', async () => {
    const added = await fetch(`${app.url}/api/cart/items`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ code: 'P100', quantity: 1 }),
    });
    expect(added.status).toBe(201);
    const cookie = added.headers.get('set-cookie')!.split(';')[0];

    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    const placed = await fetch(`${app.url}/api/orders`, {
      method: 'POST',
      headers: { ...json, Cookie: cookie, traceparent: `00-${traceId}-${parentId}-01` },
      body: JSON.stringify({
        customer: { name: 'Ada', email: 'ada@example.com', phone: '123' },
        deliveryAddress: '1 Main St',
      }),
    });
    expect(placed.status).toBe(201);
    const { orderNumber } = (await placed.json()) as { orderNumber: string };

    const inTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
    const publish = (s: ReceivedSpan) =>
      s.kind === PRODUCER && s.attributes['messaging.system'] === 'rabbitmq';
    await waitFor('the publish span', () => Promise.resolve(inTrace().some(publish)), 30_000);

    const spans = inTrace();
    const server = spans.find((s) => s.kind === SERVER && s.scope.includes('http'));
    expect(server).toMatchObject({ parentSpanId: parentId });
    expect(server!.attributes['http.route'] ?? server!.name).toContain('/api/orders');
    expect(server!.resource).toMatchObject({
      'service.name': 'bookstore-under-test',
      'service.namespace': 'bookstore',
      'deployment.environment.name': 'development',
    });
    const dbSystem = (s: ReceivedSpan) =>
      s.attributes['db.system.name'] ?? s.attributes['db.system'];
    expect(spans.some((s) => dbSystem(s) === 'postgresql')).toBe(true);
    expect(spans.some((s) => dbSystem(s) === 'redis')).toBe(true);
    expect(spans.filter(publish)).toHaveLength(1);
    // Spans of requests that carried no traceparent are in traces of their own.
    expect(receiver.spans.some((s) => s.traceId !== traceId && s.kind === SERVER)).toBe(true);

    await waitFor('the message', () =>
      Promise.resolve(broker.bodies().some((b) => b.order.orderNumber === orderNumber)),
    );
    const message = broker.messages.find((m) => m.content.toString().includes(orderNumber))!;
    expect(String(message.properties.headers?.traceparent)).toContain(traceId);

    // Log lines reach the test through a pipe, possibly after the response.
    const requestLine = () =>
      app
        .output()
        .split('\n')
        .some(
          (line) => line.includes(`"trace_id":"${traceId}"`) && line.includes('request completed'),
        );
    await waitFor('the request line with the trace id', () => Promise.resolve(requestLine()));
  });

  it("joins a gRPC caller's trace (traceparent in the call's metadata)", async () => {
    const client = new OrdersGrpcClient(`127.0.0.1:${grpcPort}`, 'tracing-grpc-token-0123456789');
    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    try {
      await client.call(
        'CreateOrder',
        {
          customer: { name: 'Ada', email: 'ada@example.com', phone: '123' },
          delivery_address: '1 Main St',
          lines: [{ code: 'P101', quantity: 1 }],
          idempotency_key: 'traced-1',
        },
        { traceparent: `00-${traceId}-${parentId}-01` },
      );
    } finally {
      client.close();
    }
    const inTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
    const server = (s: ReceivedSpan) => s.kind === SERVER && s.scope.includes('grpc');
    await waitFor('the gRPC server span', () => Promise.resolve(inTrace().some(server)), 30_000);
    expect(inTrace().find(server)).toMatchObject({
      parentSpanId: parentId,
      name: 'grpc.bookstore.orders.v1.OrdersService/CreateOrder',
    });
    await waitFor("the order's SQL in the same trace", () =>
      Promise.resolve(inTrace().some((s) => s.scope.includes('pg'))),
    );
  });
});
