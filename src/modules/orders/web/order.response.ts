import { ApiProperty } from '@nestjs/swagger';
import { PageResponseOf } from '../../../platform/http/page.response';
import { fromCents } from '../../../shared/money';
import { pagedResult } from '../../../shared/paged-result';
import { Order, ORDER_STATUSES } from '../order.model';

export class CustomerResponse {
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty() phone!: string;
}

export class OrderLineResponse {
  @ApiProperty({ example: 'P100' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 34 }) price!: number;
  @ApiProperty({ example: 2 }) quantity!: number;
  @ApiProperty({ example: 68 }) subtotal!: number;
}

export class OrderCreatedResponse {
  @ApiProperty({ format: 'uuid' }) orderNumber!: string;
}

export class OrderSummaryResponse {
  @ApiProperty({ format: 'uuid' }) orderNumber!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: string;
  @ApiProperty({ type: CustomerResponse }) customer!: CustomerResponse;
  @ApiProperty({ example: 68 }) totalAmount!: number;
  @ApiProperty() createdAt!: string;
}

export class OrderResponse extends OrderSummaryResponse {
  @ApiProperty() deliveryAddress!: string;
  @ApiProperty({ type: [OrderLineResponse] }) items!: OrderLineResponse[];
  @ApiProperty({ type: OrderLineResponse, description: 'The first line' }) item!: OrderLineResponse;
}

export class OrderPageResponse extends PageResponseOf(OrderSummaryResponse) {}

export function summaryOf(o: Order): OrderSummaryResponse {
  return {
    orderNumber: o.orderNumber,
    status: o.status,
    customer: o.customer,
    totalAmount: fromCents(o.totalCents),
    createdAt: o.createdAt.toISOString(),
  };
}

export function orderOf(o: Order): OrderResponse {
  const items = o.lines.map((l) => ({
    code: l.code,
    name: l.name,
    price: fromCents(l.priceCents),
    quantity: l.quantity,
    subtotal: fromCents(l.priceCents * l.quantity),
  }));
  return { ...summaryOf(o), deliveryAddress: o.deliveryAddress, items, item: items[0] };
}

export function pageOf(orders: Order[], total: number, page: number, size: number) {
  return pagedResult(orders.map(summaryOf), total, page, size);
}
