import { Injectable, OnModuleInit } from '@nestjs/common';
import { MessageBroker, OutboxRelay } from '../../../platform/events';
import type { OutboxDelivery } from '../../../platform/events';
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
    this.externalize(ORDER_CREATED, ORDER_CREATED_ROUTING_KEY, (payload, delivery) =>
      orderCreatedMessage(payload as unknown as OrderCreatedEvent, delivery),
    );
    this.externalize(ORDER_CANCELLED, ORDER_CANCELLED_ROUTING_KEY, (payload, delivery) =>
      orderCancelledMessage(payload as unknown as OrderCancelledEvent, delivery),
    );
  }

  private externalize(
    type: string,
    routingKey: string,
    message: (payload: Record<string, unknown>, delivery: OutboxDelivery) => object,
  ): void {
    this.relay.on(
      type,
      `${routingKey} message`,
      (payload, _tx, delivery) =>
        this.broker.publish(routingKey, message(payload, delivery), {
          messageId: delivery.id,
          type: routingKey,
          timestamp: delivery.createdAt,
        }),
      'broker',
    );
  }
}
