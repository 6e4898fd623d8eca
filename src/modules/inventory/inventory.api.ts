import type { EntityManager } from 'typeorm';

export const INVENTORY_API = Symbol('INVENTORY_API');

export interface StockLine {
  code: string;
  quantity: number;
}

/** Stock is short for one line; nothing was taken. */
export class InsufficientStockError extends Error {
  constructor(readonly productCode: string) {
    super(`Insufficient stock for product '${productCode}'`);
    this.name = 'InsufficientStockError';
  }
}

/** Stock operations that run inside the caller's database transaction. */
export interface InventoryApi {
  /** Takes stock for every line or throws InsufficientStockError (the caller rolls back). */
  take(tx: EntityManager, lines: readonly StockLine[]): Promise<void>;
  /** Puts stock back, e.g. when an order is cancelled. */
  release(tx: EntityManager, lines: readonly StockLine[]): Promise<void>;
}
