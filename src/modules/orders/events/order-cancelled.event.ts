import type { OrderEventValues } from './order-event-values';

/** Published when a customer cancels an order; its stock has been returned in the same transaction. */
export interface OrderCancelledEvent extends OrderEventValues {
  cancelledAt: string;
}

export const ORDER_CANCELLED = 'orders.OrderCancelled';
