/** What the load driver records and hands to the spec's checks. */

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
