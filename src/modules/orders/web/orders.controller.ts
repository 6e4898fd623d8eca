import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorResponse } from '../../../platform/http/error.response';
import { HttpSession, Session } from '../../../session';
import { CancelOrderService } from '../application/cancel-order.service';
import { OrderOwnership } from '../application/order-ownership';
import { PlaceOrderService } from '../application/place-order.service';
import { OrdersRepository } from '../infra/orders.repository';
import { CreateOrderDto, OrdersQuery } from './order.dto';
import {
  OrderCreatedResponse,
  OrderPageResponse,
  OrderResponse,
  orderOf,
  pageOf,
} from './order.response';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;
const ORDER_NUMBER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('orders')
@ApiServiceUnavailableResponse({
  type: ErrorResponse,
  description: 'Session store or database down',
})
@Controller('api/orders')
export class OrdersController {
  constructor(
    private readonly placeOrder: PlaceOrderService,
    private readonly cancelOrder: CancelOrderService,
    private readonly orders: OrdersRepository,
    private readonly ownership: OrderOwnership,
  ) {}

  @Post()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry returns the first result',
  })
  @ApiCreatedResponse({
    type: OrderCreatedResponse,
    description: 'Location: /api/orders/{orderNumber}',
  })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'Invalid body, or empty cart and no item',
  })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Unknown product' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Insufficient stock; nothing written' })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponse,
    description: 'Idempotency-Key already used with a different body',
  })
  async create(
    @Session() session: HttpSession,
    @Body() body: CreateOrderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OrderCreatedResponse> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException('Idempotency-Key must be 1-100 printable ASCII characters');
    }
    const orderNumber = await this.placeOrder.place(session, {
      customer: body.customer,
      deliveryAddress: body.deliveryAddress,
      item: body.item,
      idempotencyKey,
    });
    res.location(`/api/orders/${orderNumber}`);
    return { orderNumber };
  }

  @Get()
  @ApiOkResponse({ type: OrderPageResponse, description: "The caller's orders, newest first" })
  @ApiBadRequestResponse({ type: ErrorResponse })
  async list(@Session() session: HttpSession, @Query() query: OrdersQuery) {
    const owner = this.ownership.of(session);
    if (!owner.visitorKey && !owner.username) return pageOf([], 0, query.page, query.pageSize);
    const [orders, total] = await this.orders.page(owner, query.page, query.pageSize);
    return pageOf(orders, total, query.page, query.pageSize);
  }

  @Get(':orderNumber')
  @ApiOkResponse({ type: OrderResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: "Absent or not the caller's" })
  async get(@Session() session: HttpSession, @Param('orderNumber') orderNumber: string) {
    const owner = this.ownership.of(session);
    const order =
      ORDER_NUMBER.test(orderNumber) && (owner.visitorKey || owner.username)
        ? await this.orders.find(owner, orderNumber)
        : undefined;
    if (!order) throw new NotFoundException(`Order '${orderNumber.slice(0, 64)}' not found`);
    return orderOf(order);
  }

  @Post(':orderNumber/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderResponse, description: 'Cancelled; its stock is back on sale' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: "Absent or not the caller's" })
  @ApiConflictResponse({
    type: ErrorResponse,
    description: 'Already cancelled, delivered or failed: only NEW and IN_PROCESS can be',
  })
  async cancel(@Session() session: HttpSession, @Param('orderNumber') orderNumber: string) {
    const owner = this.ownership.of(session);
    return orderOf(await this.cancelOrder.cancel(orderNumber, owner));
  }
}
