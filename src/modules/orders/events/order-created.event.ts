/** Published when an order is placed; ids and values only, never entities. */
export interface OrderCreatedEvent {
  orderNumber: string;
  customerName: string;
  customerEmail: string;
  totalAmount: number;
  lines: Array<{ code: string; quantity: number }>;
  createdAt: string;
}

export const ORDER_CREATED = 'orders.OrderCreated';
