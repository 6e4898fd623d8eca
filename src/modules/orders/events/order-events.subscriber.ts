import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  firstProcessing,
  MessageBroker,
  MessageConsumer,
  OutboxDelivery,
  OutboxRelay,
} from '../../../platform/events';
import { ORDER_CANCELLED } from './order-cancelled.event';
import {
  ORDER_CANCELLED_ROUTING_KEY,
  orderCancelledMessage,
  OrderCancelledMessageV1,
} from './order-cancelled.message';
import { ORDER_CREATED } from './order-created.event';
import {
  ORDER_CREATED_ROUTING_KEY,
  orderCreatedMessage,
  OrderCreatedMessageV1,
} from './order-created.message';

/** Handles one order event's message inside a transaction that commits with its dedup mark. */
export type OrderEventHandler<M> = (message: M, tx: EntityManager) => Promise<void>;

/**
 * How other modules (and orders itself) react to order events: with RABBITMQ_URL, through
 * the app's consumer queue on the broker; without, in-process from the outbox relay. Either
 * way the handler gets the versioned message and runs once per event and handler name,
 * whichever instance or path delivers it (the mark is shared by both paths).
 */
@Injectable()
export class OrderEventsSubscriber {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumer: MessageConsumer,
    private readonly broker: MessageBroker,
  ) {}

  /** Call in onModuleInit; `name` is the handler's dedup key: never rename a live one. */
  onCreated(name: string, handler: OrderEventHandler<OrderCreatedMessageV1>): void {
    this.subscribe(ORDER_CREATED, ORDER_CREATED_ROUTING_KEY, orderCreatedMessage, name, handler);
  }

  onCancelled(name: string, handler: OrderEventHandler<OrderCancelledMessageV1>): void {
    const toMessage = orderCancelledMessage;
    this.subscribe(ORDER_CANCELLED, ORDER_CANCELLED_ROUTING_KEY, toMessage, name, handler);
  }

  private subscribe<E, M>(
    outboxType: string,
    routingKey: string,
    toMessage: (event: E, delivery: OutboxDelivery) => M,
    name: string,
    handler: OrderEventHandler<M>,
  ): void {
    if (this.broker.enabled) {
      this.consumer.on(routingKey, name, (body, tx) => handler(body as M, tx));
      return;
    }
    this.relay.on(outboxType, name, async (payload, tx, delivery) => {
      if (await firstProcessing(tx, name, delivery.id)) {
        await handler(toMessage(payload as E, delivery), tx);
      }
    });
  }
}
