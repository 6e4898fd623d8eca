import { Injectable, OnModuleInit } from '@nestjs/common';
import { OrderEventsSubscriber } from '../events/order-events.subscriber';
import { OrdersRepository } from '../infra/orders.repository';

/**
 * Starts fulfilling a placed order: NEW → IN_PROCESS. An order cancelled before its
 * OrderCreatedEvent arrives is CANCELLED, not NEW, so it is never moved on.
 */
@Injectable()
export class OrderFulfilment implements OnModuleInit {
  constructor(
    private readonly events: OrderEventsSubscriber,
    private readonly orders: OrdersRepository,
  ) {}

  onModuleInit(): void {
    this.events.onCreated(async ({ order }, tx) => {
      await this.orders.moveStatus(tx, order.orderNumber, ['NEW'], 'IN_PROCESS');
    });
  }
}
