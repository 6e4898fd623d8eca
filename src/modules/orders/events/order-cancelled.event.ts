/** Published when a customer cancels an order; its stock has been returned in the same transaction. */
export interface OrderCancelledEvent {
  orderNumber: string;
  customerName: string;
  customerEmail: string;
  totalAmount: number;
  lines: Array<{ code: string; quantity: number }>;
  cancelledAt: string;
}

export const ORDER_CANCELLED = 'orders.OrderCancelled';
