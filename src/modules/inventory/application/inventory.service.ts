import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InsufficientStockError, InventoryApi, StockLine } from '../inventory.api';

/**
 * One statement for all lines. The rows are locked in product-code order first (the CTE's
 * ORDER BY … FOR UPDATE), so two orders with the same products in any order cannot deadlock;
 * the UPDATE's condition is then checked against the latest committed quantity.
 */
const ADJUST_STOCK = (condition: string) => `
  WITH wanted AS (
    SELECT code, sum(qty)::int AS qty FROM unnest($1::text[], $2::int[]) AS w(code, qty)
     GROUP BY code
  ), locked AS (
    SELECT s.product_code FROM inventory.stock s JOIN wanted w ON w.code = s.product_code
     ORDER BY s.product_code FOR UPDATE OF s
  )
  UPDATE inventory.stock s SET quantity = s.quantity + $3 * w.qty
    FROM wanted w, locked l
   WHERE s.product_code = w.code AND l.product_code = w.code ${condition}
  RETURNING s.product_code`;

/** Exported for the order-flow benchmark's SQL baseline, which sends it as the app does. */
export const TAKE = ADJUST_STOCK('AND s.quantity >= w.qty');
const RELEASE = ADJUST_STOCK('');

@Injectable()
export class InventoryService implements InventoryApi {
  /** Never below zero (the CHECK constraint guards the rest); a short line throws, naming it. */
  async take(tx: EntityManager, lines: readonly StockLine[]): Promise<void> {
    const taken = await this.adjust(tx, TAKE, lines, -1);
    const short = [...new Set(lines.map((l) => l.code))].sort().find((c) => !taken.has(c));
    if (short !== undefined) throw new InsufficientStockError(short);
  }

  async release(tx: EntityManager, lines: readonly StockLine[]): Promise<void> {
    await this.adjust(tx, RELEASE, lines, 1);
  }

  private async adjust(
    tx: EntityManager,
    sql: string,
    lines: readonly StockLine[],
    sign: 1 | -1,
  ): Promise<Set<string>> {
    const [rows] = await tx.query<[Array<{ product_code: string }>, number]>(sql, [
      lines.map((l) => l.code),
      lines.map((l) => l.quantity),
      sign,
    ]);
    return new Set(rows.map((r) => r.product_code));
  }
}
