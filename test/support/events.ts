import type { OrderCreatedEvent } from '../../src/modules/orders';

/** An OrderCreatedEvent payload as the orders module writes it to the outbox. */
export function orderCreatedPayload(orderNumber: string): OrderCreatedEvent {
  return {
    orderNumber,
    customerName: 'Ada',
    customerEmail: 'ada@example.com',
    totalAmount: 34,
    lines: [{ code: 'P100', quantity: 1 }],
    createdAt: new Date().toISOString(),
  };
}
