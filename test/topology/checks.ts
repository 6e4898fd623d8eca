import { cartKey } from './carts';
import type { CartLine, LoadRun } from './load-types';

/** One stored order as the checks compare it with the run's records. */
export interface StoredOrder {
  number: string;
  key: string;
  /** How many orders carry this order number (1 unless something is doubled). */
  n: number;
  lines: CartLine[];
}

/** Every order with its lines; `where` narrows it (e.g. to the driver's customer). */
export const storedOrdersSql = (where = '') => `
  SELECT o.order_number::text AS number, o.idempotency_key AS key,
         count(*) OVER (PARTITION BY o.order_number)::int AS n,
         (SELECT json_agg(json_build_object('code', l.code, 'quantity', l.quantity))
            FROM orders.order_lines l WHERE l.order_id = o.id) AS lines
    FROM orders.orders o ${where}`;

/** Per product: stock now and everything ordered of it. */
export const stockSql = `
  SELECT s.product_code AS code, s.quantity AS now,
         coalesce((SELECT sum(l.quantity) FROM orders.order_lines l
                    WHERE l.code = s.product_code), 0)::int AS ordered
    FROM inventory.stock s ORDER BY s.product_code`;

/**
 * What is wrong with the stored orders: an acknowledged order missing, doubled or with another
 * cart; an unacknowledged one stored with another cart; an order no request of the run made.
 */
export function orderProblems(run: LoadRun, rows: readonly StoredOrder[]): unknown[] {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const wrong = run.orders
    .map((o) => ({ order: o, row: byKey.get(o.idempotencyKey) }))
    .filter(
      ({ order, row }) =>
        row?.number !== order.orderNumber ||
        row.n !== 1 ||
        cartKey(row.lines ?? []) !== cartKey(order.lines),
    )
    .map(({ order, row }) => ({ acknowledged: order, stored: row }));
  // An order none of whose attempts was acknowledged may exist: then with its cart.
  const placedUnacked = run.unresolved.filter((u) => byKey.has(u.idempotencyKey));
  const unackedWrong = placedUnacked
    .filter((u) => cartKey(byKey.get(u.idempotencyKey)!.lines) !== cartKey(u.lines))
    .map((u) => ({ unacknowledged: u, stored: byKey.get(u.idempotencyKey) }));
  const acked = new Set(run.orders.map((o) => o.orderNumber));
  const expected = acked.size + placedUnacked.length;
  const extra = rows.length === expected ? [] : [{ storedOrders: rows.length, expected }];
  return [...wrong, ...unackedWrong, ...extra];
}

/** Users whose cart read back now is not the last one they saw acknowledged. */
export function cartMismatches(run: LoadRun, cartsNow: Map<number, CartLine[] | string>) {
  return run.users
    .map((u) => {
      const now = cartsNow.get(u.id);
      return {
        vu: u.id,
        expected: u.cart ? cartKey(u.cart) : 'unknown: never re-read after a failed write',
        actual: typeof now === 'string' || now === undefined ? String(now) : cartKey(now),
      };
    })
    .filter((m) => m.expected !== m.actual);
}
