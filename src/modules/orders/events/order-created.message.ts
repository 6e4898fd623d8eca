import type { OutboxDelivery } from '../../../platform/events';
import type { OrderCreatedEvent } from './order-created.event';
import { messageOrder } from './order-event-values';

export const ORDER_CREATED_ROUTING_KEY = 'orders.created';

/**
 * Version 1 of the `orders.created` message on the broker (the README shows an example).
 * Additive changes keep the version; anything else publishes a new version alongside.
 */
export interface OrderCreatedMessageV1 {
  version: 1;
  /** The outbox event's id: identical on every redelivery, so consumers dedupe on it. */
  eventId: string;
  eventType: typeof ORDER_CREATED_ROUTING_KEY;
  occurredAt: string;
  order: {
    orderNumber: string;
    customer: { name: string; email: string };
    /** Exact to the cent, as in the HTTP API. */
    totalAmount: number;
    lines: Array<{ code: string; quantity: number }>;
  };
}

export function orderCreatedMessage(
  event: OrderCreatedEvent,
  delivery: OutboxDelivery,
): OrderCreatedMessageV1 {
  return {
    version: 1,
    eventId: delivery.id,
    eventType: ORDER_CREATED_ROUTING_KEY,
    occurredAt: event.createdAt,
    order: messageOrder(event),
  };
}
