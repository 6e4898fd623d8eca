import { pagedResult } from '../../../shared/paged-result';
import { Order } from '../order.model';

/** google.protobuf.Timestamp */
function timestamp(date: Date) {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1_000), nanos: (ms % 1_000) * 1_000_000 };
}

function summaryMessage(o: Order) {
  return {
    order_number: o.orderNumber,
    status: `ORDER_STATUS_${o.status}`,
    customer: o.customer,
    total_cents: o.totalCents,
    created_at: timestamp(o.createdAt),
  };
}

/** bookstore.orders.v1.Order */
export function orderMessage(o: Order) {
  return {
    ...summaryMessage(o),
    delivery_address: o.deliveryAddress,
    lines: o.lines.map((l) => ({
      code: l.code,
      name: l.name,
      price_cents: l.priceCents,
      quantity: l.quantity,
      subtotal_cents: l.priceCents * l.quantity,
    })),
  };
}

/** bookstore.orders.v1.ListOrdersResponse */
export function ordersPageMessage(orders: Order[], total: number, page: number, size: number) {
  const p = pagedResult(orders.map(summaryMessage), total, page, size);
  return {
    orders: p.data,
    total_elements: p.totalElements,
    page_number: p.pageNumber,
    total_pages: p.totalPages,
    has_next: p.hasNext,
    has_previous: p.hasPrevious,
  };
}
