import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrderCancelledMessageV1, OrderCreatedMessageV1, OrderEventsSubscriber } from '../orders';

/**
 * Tells the customer about their order: a confirmation when it is placed, a notice when it is
 * cancelled. The subscriber runs each once per event; the order number as primary key makes
 * a repeat a no-op anyway. An order whose cancellation was noticed first (its OrderCreatedEvent
 * was late) gets no confirmation.
 */
@Injectable()
export class OrderNotificationsListener implements OnModuleInit {
  private readonly logger = new Logger('Notifications');

  constructor(private readonly events: OrderEventsSubscriber) {}

  onModuleInit(): void {
    this.events.onCreated((m, tx) => this.confirm(m, tx));
    this.events.onCancelled((m, tx) => this.cancelled(m, tx));
  }

  private async confirm({ order }: OrderCreatedMessageV1, tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO notifications.order_confirmations (order_number, email, customer_name, total)
       SELECT $1::uuid, $2, $3, $4::numeric WHERE NOT EXISTS
         (SELECT 1 FROM notifications.order_cancellations WHERE order_number = $1::uuid)
       ON CONFLICT (order_number) DO NOTHING`,
      [order.orderNumber, order.customer.email, order.customer.name, order.totalAmount.toFixed(2)],
    );
    this.logger.log(`Order confirmation recorded for order ${order.orderNumber}`);
  }

  private async cancelled({ order }: OrderCancelledMessageV1, tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO notifications.order_cancellations (order_number, email, customer_name)
       VALUES ($1, $2, $3) ON CONFLICT (order_number) DO NOTHING`,
      [order.orderNumber, order.customer.email, order.customer.name],
    );
    this.logger.log(`Cancellation notice recorded for order ${order.orderNumber}`);
  }
}
