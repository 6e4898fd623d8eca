import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { centsToDecimal, toCents } from '../../../shared/money';
import { Order, OrderOwner, OrderStatus } from '../order.model';

interface OrderRow {
  id: string;
  order_number: string;
  status: OrderStatus;
  customer_name: string;
  customer_email: string;
  customer_phone: string;
  delivery_address: string;
  total: string;
  created_at: Date;
}

interface LineRow {
  order_id: string;
  code: string;
  name: string;
  price: string;
  quantity: number;
}

export interface IdempotentRequest {
  key: string;
  fingerprint: string;
}

/** An order placed earlier under an Idempotency-Key; no fingerprint if placed before they were kept. */
export interface EarlierOrder {
  order: Order;
  fromCart: boolean;
  fingerprint?: string;
}

/**
 * The order and all its lines in one round trip. Exported for the order-flow benchmark's SQL
 * baseline, which sends it as the app does.
 */
export const INSERT_ORDER = `WITH placed AS (
         INSERT INTO orders.orders (order_number, status, customer_name, customer_email,
           customer_phone, delivery_address, total, visitor_key, username, idempotency_key,
           from_cart, created_at, request_fingerprint)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id)
       INSERT INTO orders.order_lines (order_id, line_no, code, name, price, quantity)
       SELECT placed.id, l.line_no, l.code, l.name, l.price, l.quantity
         FROM placed, unnest($14::text[], $15::text[], $16::numeric[], $17::int[])
              WITH ORDINALITY AS l(code, name, price, quantity, line_no)`;

const OWNED = `((username IS NOT NULL AND username = $1) OR (visitor_key = $2::uuid))`;
/** Matches the index orders_by_customer_email. */
const BY_EMAIL = 'lower(customer_email) = lower($1)';

/** SQL for the orders schema; money crosses it as numeric text, in cents everywhere else. */
@Injectable()
export class OrdersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(
    tx: EntityManager,
    order: Order,
    owner: Required<Pick<OrderOwner, 'visitorKey'>> & OrderOwner,
    idempotency: IdempotentRequest | undefined,
    fromCart: boolean,
  ): Promise<void> {
    await tx.query(INSERT_ORDER, [
      order.orderNumber,
      order.status,
      order.customer.name,
      order.customer.email,
      order.customer.phone,
      order.deliveryAddress,
      centsToDecimal(order.totalCents),
      owner.visitorKey,
      owner.username ?? null,
      idempotency?.key ?? null,
      fromCart,
      order.createdAt,
      idempotency?.fingerprint ?? null,
      order.lines.map((l) => l.code),
      order.lines.map((l) => l.name),
      order.lines.map((l) => centsToDecimal(l.priceCents)),
      order.lines.map((l) => l.quantity),
    ]);
  }

  /** The order an earlier request with this Idempotency-Key placed, with its lines. */
  async findByIdempotencyKey(visitorKey: string, key: string): Promise<EarlierOrder | undefined> {
    const [row] = await this.db.query<
      Array<{ order_number: string; from_cart: boolean; request_fingerprint: string | null }>
    >(
      `SELECT order_number, from_cart, request_fingerprint FROM orders.orders
        WHERE visitor_key = $1 AND idempotency_key = $2`,
      [visitorKey, key],
    );
    const order = row && (await this.find({ visitorKey }, row.order_number));
    return order
      ? { order, fromCart: row.from_cart, fingerprint: row.request_fingerprint ?? undefined }
      : undefined;
  }

  /** One query: the page and, through a window function, the total (a second one only past the end). */
  page(owner: OrderOwner, page: number, size: number): Promise<[Order[], number]> {
    return this.pageWhere(OWNED, ownerArgs(owner), page, size);
  }

  /** Every customer's orders for trusted services, or one customer's by email. */
  pageAll(customerEmail: string | undefined, page: number, size: number) {
    return customerEmail
      ? this.pageWhere(BY_EMAIL, [customerEmail], page, size)
      : this.pageWhere('true', [], page, size);
  }

  find(owner: OrderOwner, orderNumber: string): Promise<Order | undefined> {
    return this.findWhere(`order_number = $3::uuid AND ${OWNED}`, [
      ...ownerArgs(owner),
      orderNumber,
    ]);
  }

  /** Whoever placed it, for trusted services. */
  findAny(orderNumber: string): Promise<Order | undefined> {
    return this.findWhere('order_number = $1::uuid', [orderNumber]);
  }

  private async pageWhere(
    where: string,
    args: Array<string | null>,
    page: number,
    size: number,
  ): Promise<[Order[], number]> {
    const n = args.length;
    const rows = await this.db.query<Array<OrderRow & { total_count: number }>>(
      `SELECT *, count(*) OVER ()::int AS total_count FROM orders.orders WHERE ${where}
        ORDER BY created_at DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...args, size, (page - 1) * size],
    );
    const total = rows[0]?.total_count ?? (page > 1 ? await this.count(where, args) : 0);
    return [rows.map((r) => toOrder(r, [])), total];
  }

  private async count(where: string, args: Array<string | null>): Promise<number> {
    const [{ n }] = await this.db.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM orders.orders WHERE ${where}`,
      args,
    );
    return n;
  }

  private async findWhere(where: string, args: Array<string | null>): Promise<Order | undefined> {
    const [row] = await this.db.query<OrderRow[]>(
      `SELECT * FROM orders.orders WHERE ${where}`,
      args,
    );
    if (!row) return undefined;
    const lines = await this.db.query<LineRow[]>(
      'SELECT * FROM orders.order_lines WHERE order_id = $1 ORDER BY line_no',
      [row.id],
    );
    return toOrder(row, lines);
  }

  /**
   * The order, its row locked until `tx` ends, so concurrent changes of its status queue up.
   * `owner` null: whoever owns it (a trusted service acting for the shop).
   */
  async lock(
    tx: EntityManager,
    orderNumber: string,
    owner: OrderOwner | null,
  ): Promise<Order | undefined> {
    const [row] = await tx.query<OrderRow[]>(
      `SELECT * FROM orders.orders
        WHERE order_number = $3::uuid AND ($4 OR ${OWNED}) FOR UPDATE`,
      [owner?.username ?? null, owner?.visitorKey ?? null, orderNumber, owner === null],
    );
    if (!row) return undefined;
    const lines = await tx.query<LineRow[]>(
      'SELECT * FROM orders.order_lines WHERE order_id = $1 ORDER BY line_no',
      [row.id],
    );
    return toOrder(row, lines);
  }

  /** Moves the order from one of `from` to `to`; false when it was in no such status. */
  async moveStatus(
    tx: EntityManager,
    orderNumber: string,
    from: readonly OrderStatus[],
    to: OrderStatus,
  ): Promise<boolean> {
    const [, moved] = await tx.query<[unknown[], number]>(
      `UPDATE orders.orders SET status = $3
        WHERE order_number = $1::uuid AND status = ANY($2::text[])`,
      [orderNumber, from, to],
    );
    return moved > 0;
  }
}

function ownerArgs(owner: OrderOwner): Array<string | null> {
  return [owner.username ?? null, owner.visitorKey ?? null];
}

function toOrder(r: OrderRow, lines: LineRow[]): Order {
  return {
    orderNumber: r.order_number,
    status: r.status,
    customer: { name: r.customer_name, email: r.customer_email, phone: r.customer_phone },
    deliveryAddress: r.delivery_address,
    lines: lines.map((l) => ({
      code: l.code,
      name: l.name,
      priceCents: toCents(l.price),
      quantity: l.quantity,
    })),
    totalCents: toCents(r.total),
    createdAt: r.created_at,
  };
}
