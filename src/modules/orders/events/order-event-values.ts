import type { Order } from '../order.model';

/** What every order event carries: ids and values only, never entities. */
export interface OrderEventValues {
  orderNumber: string;
  customerName: string;
  customerEmail: string;
  totalAmount: number;
  lines: Array<{ code: string; quantity: number }>;
}

export function orderEventValues(order: Order): OrderEventValues {
  return {
    orderNumber: order.orderNumber,
    customerName: order.customer.name,
    customerEmail: order.customer.email,
    totalAmount: order.totalCents / 100,
    lines: order.lines.map((l) => ({ code: l.code, quantity: l.quantity })),
  };
}

/** The `order` part of the broker messages (version 1), from an event's values. */
export function messageOrder(event: OrderEventValues) {
  return {
    orderNumber: event.orderNumber,
    customer: { name: event.customerName, email: event.customerEmail },
    totalAmount: event.totalAmount,
    lines: event.lines.map(({ code, quantity }) => ({ code, quantity })),
  };
}
