import { BadRequestException, Inject, Injectable } from '@nestjs/common';
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
import { EarlierOrder, IdempotentRequest, OrdersRepository } from '../infra/orders.repository';
import { Customer, Order, OrderLine, OrderOwner } from '../order.model';
import { IdempotencyKeyReused, OutOfStock, ProductNotFound } from './order.errors';
import { OrderOwnership } from './order-ownership';
import { requestFingerprint } from './request-fingerprint';

export interface PlaceOrderCommand {
  customer: Customer;
  deliveryAddress: string;
  item?: { code: string; quantity: number };
  idempotencyKey?: string;
}

/** An order a trusted service places (gRPC): its lines, no cart, no session. */
export interface PlaceLinesCommand {
  customer: Customer;
  deliveryAddress: string;
  lines: ReadonlyArray<{ code: string; quantity: number }>;
  idempotencyKey: string;
}

type Owner = OrderOwner & { visitorKey: string };

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
    const order = newOrder(command, await this.price(wanted));
    const owner = await this.ownership.ensureVisitor(session);
    const fromCart = cartLines.length > 0;
    const placed = await this.save(order, owner, { idempotency, fromCart }, () =>
      this.replay(session, idempotency),
    );
    if (fromCart && placed === order.orderNumber) {
      await this.cart.removeOrdered(session, order.orderNumber, order.lines);
    }
    return placed;
  }

  /**
   * The same placement for a trusted service, whose idempotency keys live in the key space
   * `callerKey` names. `signal` is the caller giving up (a gRPC deadline): checked last
   * before COMMIT, so a call abandoned in time writes nothing.
   */
  async placeLines(
    callerKey: string,
    command: PlaceLinesCommand,
    signal?: AbortSignal,
  ): Promise<string> {
    const idempotency = { key: command.idempotencyKey, fingerprint: requestFingerprint(command) };
    const first = async () => (await this.earlier(callerKey, idempotency))?.order.orderNumber;
    const replay = await first();
    if (replay) return replay;
    const order = newOrder(command, await this.price(command.lines));
    return this.save(order, { visitorKey: callerKey }, { idempotency, signal }, first);
  }

  /**
   * A retry with an Idempotency-Key that already placed an order gets that order, before
   * the cart is even looked at (the first attempt emptied it), and finishes what the first
   * attempt may have left undone: taking the ordered lines out of the cart, which the cart
   * does once per order (a late retry leaves lines added since alone). The same key
   * with a different request is refused (422, as the IETF Idempotency-Key draft says).
   */
  private async replay(
    session: HttpSession,
    request: IdempotentRequest | undefined,
  ): Promise<string | undefined> {
    const { visitorKey } = this.ownership.of(session);
    if (!request || !visitorKey) return undefined;
    const earlier = await this.earlier(visitorKey, request);
    if (!earlier) return undefined;
    if (earlier.fromCart) {
      await this.cart.removeOrdered(session, earlier.order.orderNumber, earlier.order.lines);
    }
    return earlier.order.orderNumber;
  }

  private async earlier(
    visitorKey: string,
    request: IdempotentRequest,
  ): Promise<EarlierOrder | undefined> {
    const earlier = await this.orders.findByIdempotencyKey(visitorKey, request.key);
    if (earlier?.fingerprint && earlier.fingerprint !== request.fingerprint) {
      throw new IdempotencyKeyReused();
    }
    return earlier;
  }

  /** Names and prices always come from the catalog, whatever the client sent. */
  private async price(
    wanted: ReadonlyArray<{ code: string; quantity: number }>,
  ): Promise<OrderLine[]> {
    const products = await this.catalog.findProducts(wanted.map((l) => l.code));
    const byCode = new Map(products.map((p) => [p.code, p]));
    return wanted.map(({ code, quantity }) => {
      const product = byCode.get(code);
      if (!product) throw new ProductNotFound(code);
      return { code, name: product.name, priceCents: toCents(product.price), quantity };
    });
  }

  /**
   * Stock, order and event in one transaction. When the same request, retried concurrently,
   * inserted first (the key's unique violation), `first` gives that order as the answer.
   */
  private async save(
    order: Order,
    owner: Owner,
    { idempotency, fromCart = false, signal }: SaveOptions,
    first: () => Promise<string | undefined>,
  ): Promise<string> {
    try {
      await this.db.transaction(async (tx) => {
        await this.inventory.take(tx, order.lines);
        await this.orders.insert(tx, order, owner, idempotency, fromCart);
        await publishInTransaction(tx, {
          type: ORDER_CREATED,
          payload: { ...createdEvent(order) },
        });
        signal?.throwIfAborted();
      });
    } catch (err) {
      if (err instanceof InsufficientStockError) throw new OutOfStock(err.message);
      const e = err as { code?: string; driverError?: { code?: string } };
      const code = e.code ?? e.driverError?.code;
      const earlier = code === UNIQUE_VIOLATION && (await first());
      if (earlier) return earlier;
      throw err;
    }
    this.relay.kick();
    return order.orderNumber;
  }
}

interface SaveOptions {
  idempotency?: IdempotentRequest;
  fromCart?: boolean;
  signal?: AbortSignal;
}

function newOrder(
  command: { customer: Customer; deliveryAddress: string },
  lines: OrderLine[],
): Order {
  return {
    orderNumber: randomUUID(),
    status: 'NEW',
    customer: command.customer,
    deliveryAddress: command.deliveryAddress,
    lines,
    totalCents: lines.reduce((sum, l) => sum + l.priceCents * l.quantity, 0),
    createdAt: new Date(),
  };
}

function createdEvent(order: Order): OrderCreatedEvent {
  return { ...orderEventValues(order), createdAt: order.createdAt.toISOString() };
}
