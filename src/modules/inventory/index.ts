export { InventoryModule } from './inventory.module';
export { INVENTORY_API, InsufficientStockError } from './inventory.api';
export type { InventoryApi, StockLine } from './inventory.api';
export { inventoryMigrations } from './infra/migrations';
