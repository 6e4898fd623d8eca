// The order transaction's own SQL, sent straight to PostgreSQL with node-postgres (no Nest, no
// HTTP, no Redis): the yardstick `npm run bench` measures the app's order flow against. The
// statements of PlaceOrderService's transaction (START TRANSACTION, InventoryService.take,
// OrdersRepository.insert, publishInTransaction, COMMIT: five round trips), the first two
// taken from the code itself.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { TAKE } from '../src/modules/inventory/application/inventory.service';
import { INSERT_ORDER } from '../src/modules/orders/infra/orders.repository';

const INSERT_EVENT = 'INSERT INTO events.outbox (type, payload, trace_context) VALUES ($1, $2, $3)';

/** One order of one book, as the app's flow places it: stock, order with its lines, outbox row, commit. */
async function placeOrder(c: Client, code: string): Promise<void> {
  const orderNumber = randomUUID();
  const createdAt = new Date();
  await c.query('START TRANSACTION');
  await c.query(TAKE, [[code], [1], -1]);
  await c.query(INSERT_ORDER, [
    orderNumber, 'NEW', 'Bench', 'bench@example.com', '123', '1 Bench Street', '34.00',
    randomUUID(), null, null, true, createdAt, null, [code], ['A book'], ['34.00'], [1],
  ]);
  const payload = { orderNumber, customerName: 'Bench', customerEmail: 'bench@example.com', totalAmount: 34, lines: [{ code, quantity: 1 }], createdAt: createdAt.toISOString() };
  await c.query(INSERT_EVENT, ['orders.OrderCreated', JSON.stringify(payload), null]);
  await c.query('COMMIT');
}

export interface Throughput {
  clients: number;
  ordersPerSecond: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/** `clients` connections each placing orders back to back for `seconds` (client i orders book i mod 15). */
export async function orderSqlBaseline(url: string, clients: number, seconds: number): Promise<Throughput> {
  const conns = Array.from({ length: clients }, () => new Client({ connectionString: url, statement_timeout: 20_000, query_timeout: 20_000, connectionTimeoutMillis: 10_000 }));
  try {
    for (const c of conns) await c.connect();
    const latencies: number[] = [];
    const deadline = performance.now() + seconds * 1_000;
    await Promise.all(
      conns.map(async (c, i) => {
        while (performance.now() < deadline) {
          const started = performance.now();
          await placeOrder(c, `P${100 + (i % 15)}`);
          latencies.push(performance.now() - started);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return { clients, ordersPerSecond: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
  } finally {
    await Promise.all(conns.map((c) => c.end().catch(() => undefined)));
  }
}
