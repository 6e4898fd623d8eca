import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InsufficientStockError, InventoryApi, StockLine } from '../inventory.api';

/** Merges lines per code and sorts them, so concurrent orders lock rows in one order. */
function byCode(lines: readonly StockLine[]): StockLine[] {
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.code, (merged.get(l.code) ?? 0) + l.quantity);
  return [...merged]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, quantity]) => ({ code, quantity }));
}

@Injectable()
export class InventoryService implements InventoryApi {
  /** A conditional update per line: never below zero, and the CHECK constraint guards the rest. */
  async take(tx: EntityManager, lines: readonly StockLine[]): Promise<void> {
    for (const line of byCode(lines)) {
      const [, affected] = await tx.query<[unknown, number]>(
        `UPDATE inventory.stock SET quantity = quantity - $2
          WHERE product_code = $1 AND quantity >= $2`,
        [line.code, line.quantity],
      );
      if (affected !== 1) throw new InsufficientStockError(line.code);
    }
  }

  async release(tx: EntityManager, lines: readonly StockLine[]): Promise<void> {
    for (const line of byCode(lines)) {
      await tx.query(
        'UPDATE inventory.stock SET quantity = quantity + $2 WHERE product_code = $1',
        [line.code, line.quantity],
      );
    }
  }
}
