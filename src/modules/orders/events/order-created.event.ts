import type { OrderEventValues } from './order-event-values';

/** Published when an order is placed; ids and values only, never entities. */
export interface OrderCreatedEvent extends OrderEventValues {
  createdAt: string;
}

export const ORDER_CREATED = 'orders.OrderCreated';
