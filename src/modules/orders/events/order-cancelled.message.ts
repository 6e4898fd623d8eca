import type { OutboxDelivery } from '../../../platform/events';
import type { OrderCancelledEvent } from './order-cancelled.event';
import type { OrderCreatedMessageV1 } from './order-created.message';
import { messageOrder } from './order-event-values';

export const ORDER_CANCELLED_ROUTING_KEY = 'orders.cancelled';

/** Version 1 of the `orders.cancelled` message: the `orders.created` shape, with its own type. */
export interface OrderCancelledMessageV1 extends Omit<OrderCreatedMessageV1, 'eventType'> {
  eventType: typeof ORDER_CANCELLED_ROUTING_KEY;
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
    order: messageOrder(event),
  };
}
