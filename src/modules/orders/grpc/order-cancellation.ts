import type { Order } from '../order.model';

export const ORDER_CANCELLATION = Symbol('ORDER_CANCELLATION');

/**
 * Cancellation for a trusted service (any owner's order), with the REST cancellation's
 * rules. Until a provider is bound to ORDER_CANCELLATION in orders.module.ts, CancelOrder
 * answers UNIMPLEMENTED; binding it (`{ provide: ORDER_CANCELLATION, useExisting: … }`) is
 * the whole of wiring it.
 */
export interface OrderCancellation {
  cancel(orderNumber: string): Promise<Order>;
}
