import type { OutboxDelivery } from '../../../platform/events';
import type { OrderCancelledEvent } from './order-cancelled.event';

export const ORDER_CANCELLED_ROUTING_KEY = 'orders.cancelled';

/** Version 1 of the `orders.cancelled` message: the `orders.created` shape, with its own type. */
export interface OrderCancelledMessageV1 {
  version: 1;
  /** The outbox event's id: identical on every redelivery, so consumers dedupe on it. */
  eventId: string;
  eventType: typeof ORDER_CANCELLED_ROUTING_KEY;
  occurredAt: string;
  order: {
    orderNumber: string;
    customer: { name: string; email: string };
    totalAmount: number;
    lines: Array<{ code: string; quantity: number }>;
  };
}

export function orderCancelledMessage(
  event: OrderCancelledEvent,
  delivery: OutboxDelivery,
): OrderCancelledMessageV1 {
  return {
    version: 1,
    eventId: delivery.id,
    eventType: ORDER_CANCELLED_ROUTING_KEY,
    occurredAt: event.cancelledAt,
    order: {
      orderNumber: event.orderNumber,
      customer: { name: event.customerName, email: event.customerEmail },
      totalAmount: event.totalAmount,
      lines: event.lines.map(({ code, quantity }) => ({ code, quantity })),
    },
  };
}
