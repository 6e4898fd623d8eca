import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sleep } from '../support/ports';

/**
 * The k6 order flow in Node: virtual users browse, fill their cart and order, each with its
 * own session cookie. Every request is recorded; every acknowledged cart is checked against
 * what the user's own requests imply, so a lost or mixed-up session shows up at once.
 */

export const SESSION_COOKIE = 'BOOKSTORE_SESSION';
const PRODUCT_CODES = Array.from({ length: 15 }, (_, i) => `P${100 + i}`);
const MAX_LINE_QUANTITY = 99;
/** Delays before the retries of an order (same Idempotency-Key); together they outlast a failover. */
const ORDER_RETRY_DELAYS_MS = [500, 1_000, 2_000];
/** Delays before each re-read of a cart whose write was not acknowledged. */
const RESYNC_DELAYS_MS = [100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000];
const CUSTOMER = { name: 'Topology Tester', email: 'vu@example.com', phone: '+44 20 7946 0000' };

export interface CartLine {
  code: string;
  quantity: number;
}

export type Route =
  | 'GET /api/products'
  | 'GET /api/cart'
  | 'POST /api/cart/items'
  | 'PUT /api/cart/items/:code'
  | 'POST /api/orders';

export interface RequestRecord {
  vu: number;
  route: Route;
  /** ms on the driver's clock (`now()`), request start and end (response body read). */
  start: number;
  end: number;
  /** HTTP status, 0 for a network error or timeout. */
  status: number;
  error?: string;
}

export interface PlacedOrder {
  vu: number;
  orderNumber: string;
  idempotencyKey: string;
  /** The last acknowledged cart before the order: what it must have consumed. */
  lines: CartLine[];
  attempts: number;
}

/** An order none of whose attempts was acknowledged: it may or may not exist. */
export interface UnresolvedOrder {
  vu: number;
  idempotencyKey: string;
  lines: CartLine[];
  statuses: number[];
}

export interface VirtualUser {
  id: number;
  sessionId?: string;
  /** The last acknowledged cart; undefined while a failed write could not be re-read yet. */
  cart?: CartLine[];
  /** What the cart may be while `cart` is unknown (before or after the unacknowledged write). */
  pending?: CartLine[][];
}

export interface DriverOptions {
  baseUrl: string;
  vus: number;
  durationMs: number;
  /** A hard cap on requests, whatever the duration. */
  maxRequests: number;
  requestTimeoutMs?: number;
  /** Pause between a user's iterations, ms [min, max], as k6's sleep(): without it 30 users
   *  saturate a 2-core machine and latency, not the failures, decides the outcome. */
  thinkTimeMs?: [number, number];
}

export interface LoadRun {
  readonly users: readonly VirtualUser[];
  readonly records: readonly RequestRecord[];
  readonly orders: readonly PlacedOrder[];
  readonly unresolved: readonly UnresolvedOrder[];
  /** Things that must never happen: a cart that is not what the user's requests imply, etc. */
  readonly anomalies: readonly string[];
  /** ms since the run started. */
  now(): number;
  /** Ends the run early; resolves once every user has finished its last request. */
  stop(): Promise<void>;
  /** Resolves when every user has finished (deadline, request cap or stop()). */
  readonly done: Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
}

const isOk = (status: number) => status >= 200 && status < 300;
const retryable = (status: number) => status === 0 || status >= 500;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/** Order-insensitive identity of a cart: `P100x2,P103x1`. */
export function cartKey(lines: readonly CartLine[]): string {
  return [...lines]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((l) => `${l.code}x${l.quantity}`)
    .join(',');
}

/** The (code, quantity) lines of a Cart body, or undefined if it is not one. */
export function linesOf(body: unknown): CartLine[] | undefined {
  const items = (body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) return undefined;
  return items.map((i: { code: string; quantity: number }) => ({
    code: i.code,
    quantity: i.quantity,
  }));
}

function withAdded(cart: readonly CartLine[], code: string, quantity: number): CartLine[] {
  const existing = cart.find((l) => l.code === code);
  if (!existing) return [...cart, { code, quantity }];
  return cart.map((l) => (l.code === code ? { code, quantity: l.quantity + quantity } : l));
}

function withQuantity(cart: readonly CartLine[], code: string, quantity: number): CartLine[] {
  return cart.map((l) => (l.code === code ? { code, quantity } : l));
}

export function startLoad(options: DriverOptions): LoadRun {
  return new Driver(options).start();
}

class Driver {
  readonly users: VirtualUser[];
  readonly records: RequestRecord[] = [];
  readonly orders: PlacedOrder[] = [];
  readonly unresolved: UnresolvedOrder[] = [];
  readonly anomalies: string[] = [];
  private readonly t0 = performance.now();
  private readonly deadline: number;
  /** Re-reads and order retries may run past the deadline, but not past this. */
  private readonly hardDeadline: number;
  private readonly timeoutMs: number;
  private stopped = false;

  constructor(private readonly options: DriverOptions) {
    this.users = Array.from({ length: options.vus }, (_, id) => ({ id, cart: [] }));
    this.deadline = options.durationMs;
    this.timeoutMs = options.requestTimeoutMs ?? 5_000;
    this.hardDeadline = options.durationMs + 3 * this.timeoutMs;
  }

  now = (): number => performance.now() - this.t0;

  start(): LoadRun {
    const done = Promise.all(this.users.map((u) => this.runUser(u))).then(() => undefined);
    return {
      users: this.users,
      records: this.records,
      orders: this.orders,
      unresolved: this.unresolved,
      anomalies: this.anomalies,
      now: this.now,
      done,
      stop: async () => {
        this.stopped = true;
        await done;
      },
    };
  }

  /** No new step once stopped, past the deadline or over the request cap. */
  private finished(): boolean {
    return (
      this.stopped || this.now() >= this.deadline || this.records.length >= this.options.maxRequests
    );
  }

  private async runUser(user: VirtualUser): Promise<void> {
    let untilOrder = between(2, 4);
    while (!this.finished()) {
      if (!user.cart) await this.resync(user);
      else {
        await this.iteration(user, --untilOrder <= 0);
        if (untilOrder <= 0) untilOrder = between(2, 4);
        await this.think();
      }
    }
    // A user that stopped right after an unacknowledged write learns its cart now.
    if (!user.cart) await this.resync(user);
  }

  private async think(): Promise<void> {
    const [min, max] = this.options.thinkTimeMs ?? [0, 0];
    const pause = Math.min(between(min, max), this.deadline - this.now());
    if (pause > 0) await sleep(pause);
  }

  private async iteration(user: VirtualUser, order: boolean): Promise<void> {
    await this.send(user, 'GET /api/products', 'GET', `/api/products?page=${between(1, 2)}`);
    for (let i = between(1, 3); i > 0 && user.cart && !this.finished(); i--) {
      await this.addItem(user);
    }
    if (user.cart?.length && Math.random() < 0.3 && !this.finished()) await this.setQuantity(user);
    if (order && user.cart?.length && !this.finished()) await this.placeOrder(user);
  }

  private async addItem(user: VirtualUser): Promise<void> {
    const cart = user.cart!;
    const code = pick(PRODUCT_CODES);
    const room = MAX_LINE_QUANTITY - (cart.find((l) => l.code === code)?.quantity ?? 0);
    if (room < 1) return;
    const quantity = Math.min(between(1, 3), room);
    const reply = await this.send(user, 'POST /api/cart/items', 'POST', '/api/cart/items', {
      code,
      quantity,
    });
    await this.settleCartWrite(user, reply, withAdded(cart, code, quantity), `add ${code}`);
  }

  private async setQuantity(user: VirtualUser): Promise<void> {
    const cart = user.cart!;
    const { code } = pick(cart);
    const quantity = between(1, 5);
    const path = `/api/cart/items/${code}`;
    const reply = await this.send(user, 'PUT /api/cart/items/:code', 'PUT', path, { quantity });
    await this.settleCartWrite(user, reply, withQuantity(cart, code, quantity), `set ${code}`);
  }

  /**
   * An acknowledged write must show exactly the cart the user's own requests imply; an
   * unacknowledged one may or may not have happened, so the cart is re-read before going on.
   */
  private async settleCartWrite(
    user: VirtualUser,
    reply: Reply,
    expected: CartLine[],
    what: string,
  ): Promise<void> {
    const before = user.cart!;
    const acked = isOk(reply.status) ? linesOf(reply.body) : undefined;
    if (acked) {
      this.expectCart(user, acked, [expected], `${what} acknowledged`);
      user.cart = acked;
      return;
    }
    user.cart = undefined;
    user.pending = [before, expected];
    await this.resync(user);
  }

  /** POST /api/orders, retried with the same Idempotency-Key while the answer is 5xx or none. */
  private async placeOrder(user: VirtualUser): Promise<void> {
    const lines = user.cart!;
    const idempotencyKey = randomUUID();
    const body = { customer: CUSTOMER, deliveryAddress: `${user.id} Load Street, Testville` };
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= ORDER_RETRY_DELAYS_MS.length; attempt++) {
      if (attempt > 0) await sleep(ORDER_RETRY_DELAYS_MS[attempt - 1]);
      if (this.now() >= this.hardDeadline) break;
      const reply = await this.send(user, 'POST /api/orders', 'POST', '/api/orders', body, {
        'Idempotency-Key': idempotencyKey,
      });
      statuses.push(reply.status);
      const orderNumber = (reply.body as { orderNumber?: string } | undefined)?.orderNumber;
      if (reply.status === 201 && orderNumber) {
        this.orders.push({
          vu: user.id,
          orderNumber,
          idempotencyKey,
          lines,
          attempts: attempt + 1,
        });
        user.cart = []; // the order took every line of the cart
        return;
      }
      if (!retryable(reply.status)) {
        this.anomalies.push(
          `vu ${user.id}: order ${idempotencyKey} answered ${reply.status} after ${statuses.join(',')}: ${JSON.stringify(reply.body)}`,
        );
        break;
      }
    }
    this.unresolved.push({ vu: user.id, idempotencyKey, lines, statuses });
    user.cart = undefined;
    user.pending = [lines, []];
    await this.resync(user);
  }

  /** Re-reads the cart (bounded); what it shows must be one of the pending candidates. */
  private async resync(user: VirtualUser): Promise<void> {
    for (const delay of RESYNC_DELAYS_MS) {
      if (this.now() >= this.hardDeadline) return;
      await sleep(delay);
      const reply = await this.send(user, 'GET /api/cart', 'GET', '/api/cart');
      const lines = isOk(reply.status) ? linesOf(reply.body) : undefined;
      if (lines) {
        this.expectCart(user, lines, user.pending ?? [], 're-read after an unacknowledged write');
        user.cart = lines;
        user.pending = undefined;
        return;
      }
    }
  }

  private expectCart(user: VirtualUser, got: CartLine[], allowed: CartLine[][], what: string) {
    if (allowed.some((c) => cartKey(c) === cartKey(got))) return;
    this.anomalies.push(
      `vu ${user.id}: ${what}: cart is [${cartKey(got)}], expected one of ${allowed
        .map((c) => `[${cartKey(c)}]`)
        .join(' or ')} (t=${Math.round(this.now())} ms)`,
    );
  }

  private async send(
    user: VirtualUser,
    route: Route,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const start = this.now();
    const record: RequestRecord = { vu: user.id, route, start, end: start, status: 0 };
    const reply = await this.fetch(user, method, path, body, headers).catch((e: unknown) => {
      record.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      return { status: 0, body: undefined };
    });
    record.status = reply.status;
    record.end = this.now();
    this.records.push(record);
    return reply;
  }

  private async fetch(
    user: VirtualUser,
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Reply> {
    const res = await fetch(this.options.baseUrl + path, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(user.sessionId ? { Cookie: `${SESSION_COOKIE}=${user.sessionId}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    this.adoptCookie(user, res);
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  }

  /** The flow never logs in, so a session id must be set once and never change. */
  private adoptCookie(user: VirtualUser, res: Response): void {
    for (const header of res.headers.getSetCookie()) {
      const match = new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(header);
      if (!match) continue;
      if (user.sessionId !== undefined && match[1] !== user.sessionId) {
        this.anomalies.push(
          `vu ${user.id}: session id changed from ${user.sessionId.slice(0, 8)}… to '${match[1].slice(0, 8)}…' (session lost)`,
        );
      }
      if (match[1]) user.sessionId = match[1];
    }
  }
}
