import { Injectable, OnModuleInit } from '@nestjs/common';
import { MessageBroker, OutboxRelay } from '../../../platform/events';
import { ORDER_CANCELLED, OrderCancelledEvent } from './order-cancelled.event';
import { ORDER_CANCELLED_ROUTING_KEY, orderCancelledMessage } from './order-cancelled.message';
import { ORDER_CREATED, OrderCreatedEvent } from './order-created.event';
import { ORDER_CREATED_ROUTING_KEY, orderCreatedMessage } from './order-created.message';

/**
 * Externalizes the order events to the broker as the versioned `orders.created` and
 * `orders.cancelled` messages, with the outbox event id as their message id. The relay calls
 * this after commit, at least once per event, and only on instances that have the broker
 * (RABBITMQ_URL).
 */
@Injectable()
export class OrderEventsPublisher implements OnModuleInit {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly broker: MessageBroker,
  ) {}

  onModuleInit(): void {
    this.relay.on(
      ORDER_CREATED,
      'orders-created message',
      (payload, _tx, delivery) =>
        this.broker.publish(
          ORDER_CREATED_ROUTING_KEY,
          orderCreatedMessage(payload as unknown as OrderCreatedEvent, delivery),
          {
            messageId: delivery.id,
            type: ORDER_CREATED_ROUTING_KEY,
            timestamp: delivery.createdAt,
          },
        ),
      'broker',
    );
    this.relay.on(
      ORDER_CANCELLED,
      'orders-cancelled message',
      (payload, _tx, delivery) =>
        this.broker.publish(
          ORDER_CANCELLED_ROUTING_KEY,
          orderCancelledMessage(payload as unknown as OrderCancelledEvent, delivery),
          {
            messageId: delivery.id,
            type: ORDER_CANCELLED_ROUTING_KEY,
            timestamp: delivery.createdAt,
          },
        ),
      'broker',
    );
  }
}
