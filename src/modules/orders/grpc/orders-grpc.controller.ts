import { Controller, Logger, NotFoundException, UseFilters, UseGuards } from '@nestjs/common';
import type { ServerUnaryCall } from '@grpc/grpc-js';
import { GrpcMethod } from '@nestjs/microservices';
import { CancelOrderService } from '../application/cancel-order.service';
import { PlaceOrderService } from '../application/place-order.service';
import { OrdersRepository } from '../infra/orders.repository';
import { Order } from '../order.model';
import { GrpcBearerToken, GrpcRateLimit } from './grpc-caller.guards';
import { DeadlinePassed } from './grpc-errors';
import { OrdersGrpcErrors } from './orders-grpc-errors.filter';
import {
  CreateOrderRequest,
  ListOrdersRequest,
  OrderNumberRequest,
  validated,
} from './grpc-requests';
import { orderMessage, ordersPageMessage } from './order.message';

const SERVICE = 'OrdersService';

/**
 * The idempotency-key space of orders placed over gRPC: the callers are one trusted party
 * (one token). A visitor key no session ever holds (sessions get random v4 UUIDs).
 */
const GRPC_CALLERS = '00000000-0000-4000-8000-000067727063';

type Call = ServerUnaryCall<unknown, unknown>;

@Controller()
@UseGuards(GrpcRateLimit, GrpcBearerToken)
@UseFilters(OrdersGrpcErrors)
export class OrdersGrpcController {
  private readonly logger = new Logger('OrdersGrpc');

  constructor(
    private readonly placeOrder: PlaceOrderService,
    private readonly orders: OrdersRepository,
    private readonly cancellation: CancelOrderService,
  ) {}

  @GrpcMethod(SERVICE, 'CreateOrder')
  async createOrder(message: unknown, _metadata: unknown, call: Call) {
    const r = validated(CreateOrderRequest, message);
    const command = {
      customer: r.customer,
      deliveryAddress: r.delivery_address,
      lines: r.lines.map(({ code, quantity }) => ({ code, quantity })),
      idempotencyKey: r.idempotency_key,
    };
    const gaveUp = abandonment(call);
    try {
      const orderNumber = await this.placeOrder.placeLines(GRPC_CALLERS, command, gaveUp.signal);
      return orderMessage(await this.found(orderNumber));
    } catch (err) {
      if (gaveUp.signal.aborted) this.logger.warn('CreateOrder abandoned: the caller gave up');
      throw err;
    } finally {
      gaveUp.dispose();
    }
  }

  @GrpcMethod(SERVICE, 'GetOrder')
  async getOrder(message: unknown) {
    return orderMessage(await this.found(validated(OrderNumberRequest, message).order_number));
  }

  @GrpcMethod(SERVICE, 'ListOrders')
  async listOrders(message: unknown) {
    const r = validated(ListOrdersRequest, message);
    const page = r.page || 1;
    const size = r.page_size || 10;
    const [orders, total] = await this.orders.pageAll(r.customer_email || undefined, page, size);
    return ordersPageMessage(orders, total, page, size);
  }

  @GrpcMethod(SERVICE, 'CancelOrder')
  async cancelOrder(message: unknown) {
    const { order_number } = validated(OrderNumberRequest, message);
    // A trusted service may cancel any customer's order (no owner).
    return orderMessage(await this.cancellation.cancel(order_number, null));
  }

  private async found(orderNumber: string): Promise<Order> {
    const order = await this.orders.findAny(orderNumber);
    if (!order) throw new NotFoundException(`Order '${orderNumber}' not found`);
    return order;
  }
}

/** Aborted when the call is cancelled: its deadline passed, or the caller cancelled it. */
function abandonment(call: Call) {
  const controller = new AbortController();
  const abort = () => controller.abort(new DeadlinePassed());
  if (call.cancelled) abort();
  else call.once('cancelled', abort);
  return { signal: controller.signal, dispose: () => call.off('cancelled', abort) };
}
