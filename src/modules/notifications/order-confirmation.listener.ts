import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxRelay } from '../../platform/events';
import { ORDER_CREATED, OrderCreatedEvent } from '../orders';

/**
 * Records an order confirmation for every OrderCreatedEvent. Delivery is at least once;
 * the order number as primary key makes a repeat a no-op.
 */
@Injectable()
export class OrderConfirmationListener implements OnModuleInit {
  private readonly logger = new Logger('Notifications');

  constructor(private readonly relay: OutboxRelay) {}

  onModuleInit(): void {
    this.relay.on(ORDER_CREATED, 'notifications.order-confirmation', (payload, tx) =>
      this.onOrderCreated(payload as unknown as OrderCreatedEvent, tx),
    );
  }

  async onOrderCreated(event: OrderCreatedEvent, tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO notifications.order_confirmations (order_number, email, customer_name, total)
       VALUES ($1, $2, $3, $4) ON CONFLICT (order_number) DO NOTHING`,
      [event.orderNumber, event.customerEmail, event.customerName, event.totalAmount.toFixed(2)],
    );
    this.logger.log(`Order confirmation recorded for order ${event.orderNumber}`);
  }
}
