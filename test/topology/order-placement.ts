import { randomUUID } from 'node:crypto';
import { sleep } from '../support/ports';
import type { VirtualUser } from './load-types';
import type { RecordingClient } from './recording-client';
import type { RunState } from './run-state';

/** Delays before the retries of an order (same Idempotency-Key); together they outlast a failover. */
const ORDER_RETRY_DELAYS_MS = [500, 1_000, 2_000];
/** Who the driver's orders are for: tells them from other orders in the same database. */
export const CUSTOMER = {
  name: 'Topology Tester',
  email: 'vu@example.com',
  phone: '+44 20 7946 0000',
};

const retryable = (status: number) => status === 0 || status >= 500;

/**
 * POST /api/orders, retried with the same Idempotency-Key while the answer is 5xx or none.
 * Acknowledged, it empties the user's cart; otherwise the order is unresolved, the cart unknown
 * (whole or empty), and false tells the caller to re-read it.
 */
export async function placeOrder(
  user: VirtualUser,
  state: RunState,
  client: RecordingClient,
): Promise<boolean> {
  const lines = user.cart!;
  const idempotencyKey = randomUUID();
  const body = { customer: CUSTOMER, deliveryAddress: `${user.id} Load Street, Testville` };
  const statuses: number[] = [];
  for (let attempt = 0; attempt <= ORDER_RETRY_DELAYS_MS.length; attempt++) {
    if (attempt > 0) await sleep(ORDER_RETRY_DELAYS_MS[attempt - 1]);
    if (state.now() >= state.hardDeadline) break;
    const reply = await client.send(user, 'POST /api/orders', 'POST', '/api/orders', body, {
      'Idempotency-Key': idempotencyKey,
    });
    statuses.push(reply.status);
    const orderNumber = (reply.body as { orderNumber?: string } | undefined)?.orderNumber;
    if (reply.status === 201 && orderNumber) {
      state.orders.push({ vu: user.id, orderNumber, idempotencyKey, lines, attempts: attempt + 1 });
      user.cart = []; // the order took every line of the cart
      return true;
    }
    if (!retryable(reply.status)) {
      state.anomalies.push(
        `vu ${user.id}: order ${idempotencyKey} answered ${reply.status} after ${statuses.join(',')}: ${JSON.stringify(reply.body)}`,
      );
      break;
    }
  }
  state.unresolved.push({ vu: user.id, idempotencyKey, lines, statuses });
  user.cart = undefined;
  user.pending = [lines, []];
  return false;
}
