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
 * way the handlers get the versioned message and run together, in one transaction with one
 * dedup mark per event (named after its type), so an event is handled once whichever
 * instance or path delivers it: the mark is shared by both paths, for fleets that mix them.
 */
@Injectable()
export class OrderEventsSubscriber {
  private readonly handlers = new Map<string, Array<OrderEventHandler<never>>>();

  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumer: MessageConsumer,
    private readonly broker: MessageBroker,
  ) {}

  /** Call in onModuleInit. */
  onCreated(handler: OrderEventHandler<OrderCreatedMessageV1>): void {
    this.subscribe(ORDER_CREATED, ORDER_CREATED_ROUTING_KEY, orderCreatedMessage, handler);
  }

  onCancelled(handler: OrderEventHandler<OrderCancelledMessageV1>): void {
    this.subscribe(ORDER_CANCELLED, ORDER_CANCELLED_ROUTING_KEY, orderCancelledMessage, handler);
  }

  private subscribe<E, M>(
    outboxType: string,
    routingKey: string,
    toMessage: (event: E, delivery: OutboxDelivery) => M,
    handler: OrderEventHandler<M>,
  ): void {
    const handlers = this.handlers.get(routingKey);
    if (handlers) return void handlers.push(handler);
    const all = [handler] as Array<OrderEventHandler<M>>;
    this.handlers.set(routingKey, all);
    const runAll = async (message: M, tx: EntityManager) => {
      for (const h of all) await h(message, tx);
    };
    if (this.broker.enabled) {
      this.consumer.on(routingKey, routingKey, (body, tx) => runAll(body as M, tx));
      return;
    }
    this.relay.on(outboxType, routingKey, async (payload, tx, delivery) => {
      if (await firstProcessing(tx, routingKey, delivery.id)) {
        await runAll(toMessage(payload as E, delivery), tx);
      }
    });
  }
}
