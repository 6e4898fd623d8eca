import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OutboxRelay, publishInTransaction } from '../../../platform/events';
import type { HttpSession } from '../../../session';
import { toCents } from '../../../shared/money';
import { CART_API, CartApi } from '../../cart';
import { CATALOG_API, CatalogApi } from '../../catalog';
import { InsufficientStockError, INVENTORY_API, InventoryApi } from '../../inventory';
import { ORDER_CREATED, OrderCreatedEvent } from '../events/order-created.event';
import { orderEventValues } from '../events/order-event-values';
import { IdempotentRequest, OrdersRepository } from '../infra/orders.repository';
import { Customer, Order, OrderLine } from '../order.model';
import { OrderOwnership } from './order-ownership';
import { requestFingerprint } from './request-fingerprint';

export interface PlaceOrderCommand {
  customer: Customer;
  deliveryAddress: string;
  item?: { code: string; quantity: number };
  idempotencyKey?: string;
}

const UNIQUE_VIOLATION = '23505';

/** Cart (or one item) → priced lines → stock, order and event in one transaction → empty cart. */
@Injectable()
export class PlaceOrderService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CATALOG_API) private readonly catalog: CatalogApi,
    @Inject(CART_API) private readonly cart: CartApi,
    @Inject(INVENTORY_API) private readonly inventory: InventoryApi,
    private readonly orders: OrdersRepository,
    private readonly ownership: OrderOwnership,
    private readonly relay: OutboxRelay,
  ) {}

  async place(session: HttpSession, command: PlaceOrderCommand): Promise<string> {
    const idempotency = command.idempotencyKey
      ? { key: command.idempotencyKey, fingerprint: requestFingerprint(command) }
      : undefined;
    const replay = await this.replay(session, idempotency);
    if (replay) return replay;
    const cartLines = this.cart.lines(session);
    const wanted = cartLines.length > 0 ? cartLines : command.item ? [command.item] : [];
    if (wanted.length === 0) {
      throw new BadRequestException('The cart is empty and no item was given');
    }
    const lines = await this.price(wanted);
    const owner = await this.ownership.ensureVisitor(session);
    const order: Order = {
      orderNumber: randomUUID(),
      status: 'NEW',
      customer: command.customer,
      deliveryAddress: command.deliveryAddress,
      lines,
      totalCents: lines.reduce((sum, l) => sum + l.priceCents * l.quantity, 0),
      createdAt: new Date(),
    };
    try {
      await this.db.transaction(async (tx) => {
        await this.inventory.take(tx, lines);
        await this.orders.insert(tx, order, owner, idempotency, cartLines.length > 0);
        await publishInTransaction(tx, {
          type: ORDER_CREATED,
          payload: { ...createdEvent(order) },
        });
      });
    } catch (err) {
      return this.orderFailed(session, err, idempotency);
    }
    this.relay.kick();
    if (cartLines.length > 0) await this.cart.removeOrdered(session, cartLines);
    return order.orderNumber;
  }

  /**
   * A retry with an Idempotency-Key that already placed an order gets that order, before
   * the cart is even looked at (the first attempt emptied it), and finishes what the first
   * attempt may have left undone: taking the ordered lines out of the cart. The same key
   * with a different request is refused (422, as the IETF Idempotency-Key draft says).
   */
  private async replay(
    session: HttpSession,
    request: IdempotentRequest | undefined,
  ): Promise<string | undefined> {
    const { visitorKey } = this.ownership.of(session);
    if (!request || !visitorKey) return undefined;
    const earlier = await this.orders.findByIdempotencyKey(visitorKey, request.key);
    if (!earlier) return undefined;
    if (earlier.fingerprint && earlier.fingerprint !== request.fingerprint) {
      throw new UnprocessableEntityException(
        'Idempotency-Key was already used with a different request body',
      );
    }
    if (earlier.fromCart) await this.cart.removeOrdered(session, earlier.order.lines);
    return earlier.order.orderNumber;
  }

  /** Names and prices always come from the catalog, whatever the client sent. */
  private async price(
    wanted: ReadonlyArray<{ code: string; quantity: number }>,
  ): Promise<OrderLine[]> {
    const products = await this.catalog.findProducts(wanted.map((l) => l.code));
    const byCode = new Map(products.map((p) => [p.code, p]));
    return wanted.map(({ code, quantity }) => {
      const product = byCode.get(code);
      if (!product) throw new NotFoundException(`Product with code '${code}' not found`);
      return { code, name: product.name, priceCents: toCents(product.price), quantity };
    });
  }

  private async orderFailed(
    session: HttpSession,
    err: unknown,
    request?: IdempotentRequest,
  ): Promise<string> {
    if (err instanceof InsufficientStockError) throw new ConflictException(err.message);
    const e = err as { code?: string; driverError?: { code?: string } };
    const code = e.code ?? e.driverError?.code;
    // The same request, retried concurrently: the first one's order is the answer.
    const first = code === UNIQUE_VIOLATION && (await this.replay(session, request));
    if (first) return first;
    throw err;
  }
}

function createdEvent(order: Order): OrderCreatedEvent {
  return { ...orderEventValues(order), createdAt: order.createdAt.toISOString() };
}
