import type { Cents } from '../../shared/money';

export const ORDER_STATUSES = ['NEW', 'IN_PROCESS', 'DELIVERED', 'CANCELLED', 'ERROR'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Customer {
  name: string;
  email: string;
  phone: string;
}

export interface OrderLine {
  code: string;
  name: string;
  priceCents: Cents;
  quantity: number;
}

/** Whose orders: a logged-in user's, or the ones placed from one visitor's session. */
export interface OrderOwner {
  visitorKey?: string;
  username?: string;
}

export interface Order {
  orderNumber: string;
  status: OrderStatus;
  customer: Customer;
  deliveryAddress: string;
  lines: OrderLine[];
  totalCents: Cents;
  createdAt: Date;
}
