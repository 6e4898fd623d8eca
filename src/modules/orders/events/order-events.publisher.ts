import { Injectable, OnModuleInit } from '@nestjs/common';
import { MessageBroker, OutboxRelay } from '../../../platform/events';
import { ORDER_CREATED, OrderCreatedEvent } from './order-created.event';
import { ORDER_CREATED_ROUTING_KEY, orderCreatedMessage } from './order-created.message';

/**
 * Externalizes OrderCreatedEvent to the broker as the versioned `orders.created` message,
 * with the outbox event id as its message id. The relay calls this after commit, at least
 * once per event, and only on instances that have the broker (RABBITMQ_URL).
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
  }
}
