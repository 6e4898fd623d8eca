import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxRelay, publishInTransaction } from '../../../platform/events';
import { INVENTORY_API, InventoryApi } from '../../inventory';
import { ORDER_CANCELLED, OrderCancelledEvent } from '../events/order-cancelled.event';
import { orderEventValues } from '../events/order-event-values';
import { OrdersRepository } from '../infra/orders.repository';
import { Order, OrderOwner, OrderStatus } from '../order.model';

/** Fulfilment may have started, but nothing has shipped: DELIVERED is final. */
const CANCELLABLE: readonly OrderStatus[] = ['NEW', 'IN_PROCESS'];
const ORDER_NUMBER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Cancels an order: status CANCELLED, its stock returned and an OrderCancelledEvent written,
 * all in one transaction. The order's row is locked first, so two cancellations (or a
 * cancellation and fulfilment) of one order queue up and the second sees the first's result.
 */
@Injectable()
export class CancelOrderService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(INVENTORY_API) private readonly inventory: InventoryApi,
    private readonly orders: OrdersRepository,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * @param owner whose order it must be (otherwise "not found"); `null` for a trusted service
   *   acting for the shop, which may cancel any order.
   * @returns the cancelled order.
   * @throws NotFoundException absent, or not the owner's; ConflictException already CANCELLED,
   *   DELIVERED or ERROR.
   */
  async cancel(orderNumber: string, owner: OrderOwner | null): Promise<Order> {
    const cancelled = await this.db.transaction((tx) => this.cancelIn(tx, orderNumber, owner));
    this.relay.kick();
    return cancelled;
  }

  private async cancelIn(
    tx: EntityManager,
    orderNumber: string,
    owner: OrderOwner | null,
  ): Promise<Order> {
    const order = ORDER_NUMBER.test(orderNumber)
      ? await this.orders.lock(tx, orderNumber, owner)
      : undefined;
    if (!order) throw new NotFoundException(`Order '${orderNumber.slice(0, 64)}' not found`);
    if (!CANCELLABLE.includes(order.status)) {
      throw new ConflictException(
        `Order '${orderNumber}' is ${order.status} and cannot be cancelled`,
      );
    }
    await this.orders.moveStatus(tx, orderNumber, CANCELLABLE, 'CANCELLED');
    await this.inventory.release(tx, order.lines);
    const cancelled: Order = { ...order, status: 'CANCELLED' };
    await publishInTransaction(tx, {
      type: ORDER_CANCELLED,
      payload: { ...cancelledEvent(cancelled) },
    });
    return cancelled;
  }
}

function cancelledEvent(order: Order): OrderCancelledEvent {
  return { ...orderEventValues(order), cancelledAt: new Date().toISOString() };
}
